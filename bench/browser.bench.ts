/**
 * Training in the browser, per tfjs backend, measured in Debian's Chromium through Playwright: samples/s
 * of a small and a wide MLP (penguins; the lab page's workers), with the CPU backend as the baseline and
 * WASM labelled with its XNNPACK thread count; and the cost of a worker round trip for a 100k-row
 * columnar table, transferred vs structured-cloned.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { startNodeEdge } from '../edge/runtime/node';
import { BENCH_ON_GPU, fmt, launchChromium, markdownTable, type BenchResult } from './harness';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const MODELS = { 'small MLP [64, 32]': [64, 32], 'wide MLP [256, 256]': [256, 256] } as const;

/**
 * Logical cores a second page presents to its pipeline worker when this machine has too few for tfjs
 * to thread WASM: tfjs 4.22 gives XNNPACK half the logical cores, so four means a pool of two threads.
 */
const PRESENTED_CORES = 4;

type Lab = { train(spec: unknown, backend: string): Promise<{ history: { samplesPerSec: number }[] }> };

/** The lab page, its pipeline worker told it has `cores` logical cores when given. */
async function openLab(browser: Browser, url: string, cores?: number): Promise<Page> {
  const page = await browser.newPage();
  if (cores) {
    await page.route('**/assets/pipeline.worker-*.js', async (route) => {
      const response = await route.fetch();
      await route.fulfill({
        response,
        body: `Object.defineProperty(WorkerNavigator.prototype, 'hardwareConcurrency', { get: () => ${cores} });\n${await response.text()}`,
      });
    });
  }
  await page.goto(`${url}/lab.html`);
  await page.locator('#backends[data-ready="true"]').waitFor({ timeout: 60_000 });
  return page;
}

/** How many threads XNNPACK runs in the page's WASM backend, read from the backend's detail line. */
async function wasmThreads(page: Page): Promise<number> {
  const backends = (await page.evaluate('window.lab.pipeline.backends()')) as { name: string; detail: string }[];
  return Number(/\+ threads \((\d+)\)/.exec(backends.find((b) => b.name === 'wasm')?.detail ?? '')?.[1] ?? 1);
}

/** Mean samples/s over epochs 2–4 of penguins on `backend`: the first epoch pays for shader compilation and uploads. */
async function samplesPerSec(page: Page, hidden: readonly number[], backend: string): Promise<number> {
  const spec = {
    data: 'sample:penguins',
    target: 'Species',
    model: { type: 'mlp', hidden },
    train: { epochs: 4, earlyStopping: null, batchSize: 32 },
  };
  // Strings, not functions: tsx's keepNames helpers do not exist in the page.
  const out = (await page.evaluate(`window.lab.train(${JSON.stringify(spec)}, ${JSON.stringify(backend)})`)) as Awaited<
    ReturnType<Lab['train']>
  >;
  const steady = out.history.slice(1);
  return steady.reduce((a, h) => a + h.samplesPerSec, 0) / steady.length;
}

const threadLabel = (n: number) => `wasm, ${n} thread${n > 1 ? 's' : ''}`;

/** The WebGPU adapter the page gets, as GPUAdapterInfo describes it; null when there is none. */
interface Adapter {
  vendor: string;
  architecture: string;
  description: string;
  /** A CPU emulation (SwiftShader, llvmpipe): its speed says nothing of a GPU's. */
  software: boolean;
}

async function webgpuAdapter(page: Page): Promise<Adapter | null> {
  // A string, not a function: tsx's keepNames helpers do not exist in the page.
  const info = (await page.evaluate(`(async () => {
    const adapter = await navigator.gpu?.requestAdapter();
    if (!adapter) return null;
    const info = adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {};
    return {
      vendor: info.vendor ?? '',
      architecture: info.architecture ?? '',
      description: info.description ?? '',
      fallback: Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter),
    };
  })()`)) as (Omit<Adapter, 'software'> & { fallback: boolean }) | null;
  if (!info) return null;
  const text = `${info.vendor} ${info.architecture} ${info.description}`;
  return { ...info, software: info.fallback || /swiftshader|llvmpipe|lavapipe|software/i.test(text) };
}

/** The adapter in a few words, e.g. "google / swiftshader". */
const adapterName = (a: Adapter) =>
  [a.vendor, a.architecture, a.description].filter(Boolean).join(' / ') || 'an adapter that gives no details';

/**
 * Issue 19's GPU target: on a GPU the wide MLP trains faster on WebGPU than on WASM (its fastest row).
 * Judged only on a hardware adapter; on SwiftShader the sentence says why it is not.
 */
function gpuVerdict(adapter: Adapter | null, wide: Record<string, number>): string {
  const wasm = Math.max(
    ...Object.entries(wide)
      .filter(([b, s]) => b.startsWith('wasm') && !Number.isNaN(s))
      .map(([, s]) => s),
  );
  const ratio = `${fmt(wide.webgpu / wasm, 2)}× the fastest WASM row`;
  if (!adapter || Number.isNaN(wide.webgpu))
    return `WebGPU: no adapter (or no WebGPU backend) in this browser, so the GPU target (wide MLP faster on WebGPU than on WASM) is not judged.`;
  if (adapter.software && BENCH_ON_GPU)
    return `WebGPU ran on ${adapterName(adapter)}, a CPU emulation, although FLYWHEEL_BENCH_GPU=1 asked Chromium for the hardware adapter: no GPU it can use here (a driver with Vulkan is needed), so the GPU target is not judged (wide MLP at ${ratio}).`;
  if (adapter.software)
    return `WebGPU ran on ${adapterName(adapter)}, a CPU emulation of a GPU: the wide MLP trained at ${ratio}, which says nothing of a GPU. The GPU target (wide MLP faster on WebGPU than on WASM) is judged where there is one: \`FLYWHEEL_BENCH_GPU=1 npm run bench -- browser\` launches Chromium on the hardware adapter (Vulkan) instead.`;
  return `WebGPU on a GPU (${adapterName(adapter)}): the wide MLP trained at **${ratio}** — target > 1× ${wide.webgpu > wasm ? '✅' : '❌'}.`;
}

export async function bench(): Promise<BenchResult> {
  execFileSync('npx', ['vite', 'build', '--logLevel', 'error'], { cwd: root, stdio: 'inherit' });
  const edge = await startNodeEdge({
    port: 0,
    dataDir: await mkdtemp(path.join(tmpdir(), 'flywheel-bbench-')),
    webRoot: path.join(root, 'dist', 'web'),
    version: 'bench',
    autoTick: false,
  });
  const browser = await launchChromium();
  try {
    const url = edge.url.replace('127.0.0.1', 'localhost');
    const page = await openLab(browser, url);
    const threads = await wasmThreads(page);
    // Too few cores here for tfjs to thread: measure the threaded build too, on a page that presents more.
    const threadedPage = threads > 1 ? null : await openLab(browser, url, PRESENTED_CORES);
    const presentedThreads = threadedPage ? await wasmThreads(threadedPage) : 0;
    const adapter = await webgpuAdapter(page);
    const rows: (string | number)[][] = [];
    let wide: Record<string, number> = {};
    for (const [label, hidden] of Object.entries(MODELS)) {
      const speed: Record<string, number> = {};
      wide = speed;
      for (const backend of ['cpu', 'wasm', 'webgl', 'webgpu']) {
        const name = backend === 'wasm' ? threadLabel(threads) : backend;
        // A backend this browser lacks (WebGL without a GPU or SwiftShader) is a row that says so, not a failed bench.
        speed[name] = await samplesPerSec(page, hidden, backend).catch((e: unknown) => {
          if (backend === 'cpu') throw e;
          return NaN;
        });
      }
      if (threadedPage)
        speed[`${threadLabel(presentedThreads)} (${PRESENTED_CORES} cores presented)`] = await samplesPerSec(
          threadedPage,
          hidden,
          'wasm',
        );
      for (const [b, s] of Object.entries(speed))
        rows.push([
          label,
          b,
          Number.isNaN(s) ? 'not available here' : fmt(s, 0),
          Number.isNaN(s) ? '—' : fmt(s / speed.cpu, 2),
        ]);
    }
    await threadedPage?.close();
    const trip = (await page.evaluate(`(async () => {
      const n = 100000;
      const make = () => Array.from({ length: 10 }, (_, i) => ({ name: 'c' + i, values: Float64Array.from({ length: n }, (_, j) => j * (i + 1)) }));
      const worker = new Worker(URL.createObjectURL(new Blob(['onmessage = (e) => postMessage(e.data.table, e.data.transfer ? e.data.table.map((c) => c.values.buffer) : []);'], { type: 'text/javascript' })));
      const once = (transfer) => new Promise((resolve) => {
        const table = make();
        const t0 = performance.now();
        worker.onmessage = () => resolve(performance.now() - t0);
        worker.postMessage({ table, transfer }, transfer ? table.map((c) => c.values.buffer) : []);
      });
      const median = async (transfer) => {
        const times = [];
        for (let i = 0; i < 7; i++) times.push(await once(transfer));
        return times.sort((a, b) => a - b)[3];
      };
      const clone = await median(false);
      const transfer = await median(true);
      worker.terminate();
      return { clone, transfer };
    })()`)) as { clone: number; transfer: number };
    return {
      title: 'Browser training per backend (Chromium, one worker)',
      markdown: [
        `penguins (241 training rows × 11 inputs), batch 32, mean samples/s over epochs 2–4 in the pipeline worker; ratio against the CPU backend measured in the same page. WebGPU's adapter: ${adapter ? `${adapterName(adapter)}${adapter.software ? ' (a CPU emulation of a GPU: the reason `auto` measures instead of assuming)' : ' (hardware)'}` : 'none'}.`,
        '',
        markdownTable(['model', 'backend', 'samples/s', 'vs cpu'], rows),
        '',
        gpuVerdict(adapter, wide),
        '',
        `WASM runs tfjs's threaded SIMD build when the page is cross-origin isolated and has at least four logical cores (tfjs 4.22 gives XNNPACK half of them, at most four here); this machine has ${os.cpus().length}, so the \`${threadLabel(threads)}\` row is what it really gets${threadedPage ? `, and the \`${threadLabel(presentedThreads)}\` row is the threaded build on a page whose pipeline worker was told it has ${PRESENTED_CORES} cores, its pool then running on this machine's ${os.cpus().length}` : ''}.`,
        '',
        `Worker round trip of a 100k-row × 10-column Float64 table (8 MB), median of 7: structured clone ${fmt(trip.clone, 1)} ms, transferred ${fmt(trip.transfer, 1)} ms — transfer is **${fmt(trip.clone / trip.transfer, 1)}×** faster.`,
      ].join('\n'),
    };
  } finally {
    await browser.close();
    await edge.close();
  }
}
