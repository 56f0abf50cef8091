import { expect, test, type Page } from '@playwright/test';

declare global {
  interface Window {
    lab: {
      train(spec: unknown, backend: string): Promise<{ backend: string; metrics: Record<string, number>; tensorsBefore: number; tensorsAfter: number; lineage: { backend: string; backendMeasurements?: Record<string, number> } }>;
      start(spec: unknown, backend: string): { runId: string; events: { type: string; progress?: { batch: number } }[]; done: Promise<{ ok: boolean; code?: string; message?: string }> };
      pipeline: { backends(): Promise<{ name: string; available: boolean; detail: string }[]>; cancel(id: string): Promise<void> };
      kernel: { run(code: string): Promise<{ status: string; outputs: Record<string, unknown>[] }>; interrupt(): void };
      longTasks: number[];
      crashingClient(url: string): { backends(): Promise<unknown>; memory(): Promise<{ numTensors: number }> };
    };
  }
}

const PENGUINS = { data: 'sample:penguins', target: 'Species', train: { epochs: 40 } };

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
    const run = window.lab.start({ data: 'sample:flights-20k', target: 'delay', train: { epochs: 50, batchSize: 32 } }, 'cpu');
    while (!run.events.some((e) => e.type === 'batch')) await new Promise((r) => setTimeout(r, 20));
    await window.lab.pipeline.cancel(run.runId);
    const batchesAtCancel = run.events.filter((e) => e.type === 'batch').length;
    const outcome = await run.done;
    return { outcome, extraBatchEvents: run.events.filter((e) => e.type === 'batch').length - batchesAtCancel, longTasks: [...window.lab.longTasks] };
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
