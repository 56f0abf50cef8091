import { expect, test, type Page } from '@playwright/test';

declare global {
  interface Window {
    lab: {
      train(
        spec: unknown,
        backend: string,
      ): Promise<{
        backend: string;
        metrics: Record<string, number>;
        tensorsBefore: number;
        tensorsAfter: number;
        lineage: { backend: string; backendMeasurements?: Record<string, number>; backendDetail?: string };
      }>;
      start(
        spec: unknown,
        backend: string,
      ): {
        runId: string;
        events: { type: string; progress?: { batch: number } }[];
        done: Promise<{ ok: boolean; code?: string; message?: string }>;
      };
      pipeline: {
        backends(): Promise<{ name: string; available: boolean; detail: string }[]>;
        cancel(id: string): Promise<void>;
      };
      kernel: { run(code: string): Promise<{ status: string; outputs: Record<string, unknown>[] }>; interrupt(): void };
      longTasks: number[];
      crashingClient(url: string): { backends(): Promise<unknown>; memory(): Promise<{ numTensors: number }> };
    };
  }
}

const PENGUINS = { data: 'sample:penguins', target: 'Species', model: { type: 'mlp' }, train: { epochs: 40 } };

async function openLab(page: Page): Promise<void> {
  await page.goto('/lab.html');
  await expect(page.locator('#backends[data-ready="true"]')).toBeAttached({ timeout: 60_000 });
}

test('the lab page lists every backend, cross-origin isolated', async ({ page }) => {
  await openLab(page);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  const backends = await page.evaluate(() => window.lab.pipeline.backends());
  expect(backends.map((b) => b.name)).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
  expect(backends.filter((b) => b.available).map((b) => b.name)).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
  await page.screenshot({ path: 'tests/e2e/artifacts/lab-backends.png', fullPage: true });
});

for (const backend of ['webgpu', 'webgl', 'wasm', 'cpu']) {
  test(`penguins trains in the worker on ${backend}, with no tensor leak`, async ({ page }) => {
    // WebGPU here runs on SwiftShader, a CPU emulation of a GPU: the slowest backend by far.
    test.setTimeout(300_000);
    await openLab(page);
    const out = await page.evaluate(([spec, b]) => window.lab.train(spec, b), [PENGUINS, backend] as const);
    expect(out.backend).toBe(backend);
    expect(out.lineage.backend).toBe(backend);
    expect(out.metrics.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(out.tensorsAfter).toBe(out.tensorsBefore);
  });
}

/**
 * Presents `cores` logical cores to the pipeline worker, as a machine with that many would. tfjs 4.22
 * gives XNNPACK at most half the logical cores, so on a two-core CI box its pool never has a second
 * thread; presented four, it builds a pool of two, which then really runs on the box's two cores.
 */
async function presentCores(page: Page, cores: number): Promise<void> {
  await page.route('**/assets/pipeline.worker-*.js', async (route) => {
    const response = await route.fetch();
    const body = `Object.defineProperty(WorkerNavigator.prototype, 'hardwareConcurrency', { get: () => ${cores} });\n${await response.text()}`;
    await route.fulfill({ response, body });
  });
}

/** The wasm backend's detail line, and how many pthread workers (blob: URLs) tfjs has started. */
async function wasmThreading(page: Page): Promise<{ detail: string; pthreads: number }> {
  const backends = await page.evaluate(() => window.lab.pipeline.backends());
  return {
    detail: backends.find((b) => b.name === 'wasm')!.detail,
    pthreads: page.workers().filter((w) => w.url().startsWith('blob:')).length,
  };
}

test('cross-origin isolated, wasm trains penguins on XNNPACK threads and reaches its bar', async ({ page }) => {
  test.setTimeout(180_000);
  await presentCores(page, 4);
  await openLab(page);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  // tfjs's getThreadsCount(), read back from the running module: half of four cores.
  expect((await wasmThreading(page)).detail).toBe('WebAssembly + SIMD + threads (2)');
  // The pthread workers tfjs starts from a Blob of its factory's source: what a minified bundle broke.
  await expect.poll(async () => (await wasmThreading(page)).pthreads).toBeGreaterThan(0);
  const out = await page.evaluate(([spec]) => window.lab.train(spec, 'wasm'), [PENGUINS] as const);
  expect(out.backend).toBe('wasm');
  // The run's lineage says how it trained, threads included.
  expect(out.lineage.backendDetail).toBe('WebAssembly + SIMD + threads (2)');
  expect(out.metrics.accuracy).toBeGreaterThanOrEqual(0.95);
  expect(out.tensorsAfter).toBe(out.tensorsBefore);
});

test('wasm threads: capped at four, single-threaded on two cores, and off without cross-origin isolation', async ({
  page,
}) => {
  await presentCores(page, 16);
  await openLab(page);
  expect(await wasmThreading(page)).toMatchObject({ detail: 'WebAssembly + SIMD + threads (4)' });

  await page.unrouteAll();
  await presentCores(page, 2);
  await openLab(page);
  // The threaded build is not even loaded, so no pthread workers start.
  expect(await wasmThreading(page)).toEqual({
    detail: 'WebAssembly + SIMD, one thread (2 logical cores: tfjs 4.22 would give XNNPACK one)',
    pthreads: 0,
  });

  await page.route('**/lab.html', async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    delete headers['cross-origin-opener-policy'];
    delete headers['cross-origin-embedder-policy'];
    await route.fulfill({ response, headers });
  });
  await presentCores(page, 16);
  await openLab(page);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
  expect(await wasmThreading(page)).toEqual({
    detail: 'WebAssembly + SIMD, one thread (not cross-origin isolated)',
    pthreads: 0,
  });
});

test('auto measures every backend and keeps one within 10% of the fastest', async ({ page }) => {
  await openLab(page);
  const out = await page.evaluate((spec) => window.lab.train(spec, 'auto'), { ...PENGUINS, train: { epochs: 5 } });
  const m = out.lineage.backendMeasurements!;
  expect(Object.keys(m).sort()).toEqual(['cpu', 'wasm', 'webgl', 'webgpu']);
  const best = Math.max(...Object.values(m));
  expect(m[out.backend]).toBeGreaterThanOrEqual(best * 0.9);
});

test('cancel stops a run within one batch, and the page stays responsive while training', async ({ page }) => {
  await openLab(page);
  const result = await page.evaluate(async () => {
    window.lab.longTasks.length = 0;
    const run = window.lab.start(
      { data: 'sample:flights-20k', target: 'delay', model: { type: 'mlp' }, train: { epochs: 50, batchSize: 32 } },
      'cpu',
    );
    while (!run.events.some((e) => e.type === 'batch')) await new Promise((r) => setTimeout(r, 20));
    await window.lab.pipeline.cancel(run.runId);
    const batchesAtCancel = run.events.filter((e) => e.type === 'batch').length;
    const outcome = await run.done;
    return {
      outcome,
      extraBatchEvents: run.events.filter((e) => e.type === 'batch').length - batchesAtCancel,
      longTasks: [...window.lab.longTasks],
    };
  });
  expect(result.outcome).toMatchObject({ ok: false, code: 'cancelled' });
  expect(result.extraBatchEvents).toBeLessThanOrEqual(1);
  expect(result.longTasks.filter((d) => d > 200)).toEqual([]);
});

test('a bad spec fails before any work, naming the JSON path', async ({ page }) => {
  await openLab(page);
  const bad = await page.evaluate(async () => {
    const run = window.lab.start({ data: 'sample:penguins', target: 'Species', train: { epochs: 'x' } }, 'cpu');
    return { outcome: await run.done, events: run.events.length };
  });
  expect(bad.outcome).toMatchObject({ ok: false, code: 'bad_spec' });
  expect(bad.outcome.message).toContain('train.epochs');
  expect(bad.events).toBe(0);
});

test('a crashed worker is reported and restarted, not left hanging', async ({ page }) => {
  await openLab(page);
  const message = await page.evaluate(async () => {
    const blob = new Blob(['setTimeout(() => { throw new Error("boom") }, 50);'], { type: 'text/javascript' });
    const client = window.lab.crashingClient(URL.createObjectURL(blob));
    try {
      await client.memory();
      return 'resolved';
    } catch (e) {
      return (e as Error).message;
    }
  });
  expect(message).toContain('the pipeline worker crashed and was restarted');
});

test('the kernel keeps state, reports errors with their line, and interrupts an infinite loop', async ({ page }) => {
  await openLab(page);
  const r = await page.evaluate(async () => {
    const k = window.lab.kernel;
    const a = await k.run('const x = 20;\nlet y = await Promise.resolve(22);\nx + y');
    const b = await k.run('x * 2');
    const err = await k.run('const z = 1;\n\nundefinedThing.call();');
    const syntax = await k.run('let = ;');
    const loop = k.run('while (true) {}');
    await new Promise((res) => setTimeout(res, 300));
    k.interrupt();
    const interrupted = await loop;
    const after = await k.run('typeof x');
    return { a, b, err, syntax, interrupted, after };
  });
  expect(r.a.outputs[0]['text/plain']).toBe('42');
  expect(r.b.outputs[0]['text/plain']).toBe('40');
  expect(r.err.status).toBe('error');
  expect(r.err.outputs[0]['application/vnd.flywheel.error+json']).toMatchObject({ name: 'ReferenceError', line: 3 });
  expect(r.syntax.outputs[0]['application/vnd.flywheel.error+json']).toMatchObject({ name: 'SyntaxError', line: 1 });
  expect(r.interrupted.outputs[0]['application/vnd.flywheel.error+json']).toMatchObject({ name: 'Interrupted' });
  expect(r.after.outputs[0]['text/plain']).toBe('undefined');
});
