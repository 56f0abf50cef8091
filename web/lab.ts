/**
 * The backend lab page: lists the tfjs backends this browser offers and measures a real pipeline on
 * each. It also exposes `window.lab` so the end-to-end tests drive the real workers through it.
 */
import { createPipelineClient } from '../workers/pipeline-client';
import { createKernelClient } from '../workers/kernel-client';
import type { BackendChoice, RunOutcome, RunRequest, WorkerRunEvent } from '../workers/protocol';

const pipeline = createPipelineClient();
const kernel = createKernelClient();
const longTasks: number[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) longTasks.push(e.duration);
}).observe({ type: 'longtask', buffered: true });

let runs = 0;

/** What a test or benchmark may set on a run besides its spec and backend (`trialWorkers`: the search's pool size). */
type RunOptions = Pick<RunRequest, 'trialWorkers'>;

async function train(
  spec: unknown,
  backend: BackendChoice,
  events: WorkerRunEvent[] = [],
  options: RunOptions = {},
): Promise<RunOutcome> {
  return pipeline.run({ runId: `lab-${++runs}`, spec, backend, ...options }, (e) => events.push(e));
}

const lab = {
  pipeline,
  kernel,
  train,
  /** Starts a run and returns its id and a promise, so a test can cancel it mid-way. */
  start(spec: unknown, backend: BackendChoice, options: RunOptions = {}) {
    const runId = `lab-${++runs}`;
    const events: WorkerRunEvent[] = [];
    const done = pipeline
      .run({ runId, spec, backend, ...options }, (e) => events.push(e))
      .then(
        (outcome) => ({ ok: true as const, outcome }),
        (e: Error & { code?: string }) => ({ ok: false as const, code: e.code, message: e.message }),
      );
    return { runId, events, done };
  },
  longTasks,
  crashingClient(url: string) {
    return createPipelineClient(() => new Worker(url, { type: 'module' }));
  },
};
Object.assign(window, { lab });

function cell(tag: string, text: string): HTMLElement {
  const el = document.createElement(tag);
  el.textContent = text;
  el.style.cssText = 'text-align:left;padding:6px 10px;border-bottom:1px solid #ddd';
  return el;
}

function row(table: HTMLElement, tag: string, cells: string[]): void {
  const tr = document.createElement('tr');
  for (const c of cells) tr.append(cell(tag, c));
  table.append(tr);
}

document.getElementById('isolation')!.textContent = crossOriginIsolated
  ? 'Cross-origin isolated: WASM threads are available.'
  : 'Not cross-origin isolated: WASM runs single-threaded.';
const backendsTable = document.getElementById('backends')!;
row(backendsTable, 'th', ['backend', 'available', 'detail']);
void pipeline.backends().then((list) => {
  for (const b of list) row(backendsTable, 'td', [b.name, b.available ? 'yes' : 'no', b.detail]);
  backendsTable.dataset.ready = 'true';
});

/** Trains the same pipeline on every available backend and lists their speeds. */
async function bench(status: HTMLElement): Promise<void> {
  const results = document.getElementById('results')!;
  results.replaceChildren();
  row(results, 'th', ['backend', 'samples/s', 'accuracy', 'epochs']);
  for (const b of (await pipeline.backends()).filter((x) => x.available)) {
    status.textContent = `training on ${b.name}…`;
    const out = await train({ data: 'sample:penguins', target: 'Species', model: { type: 'mlp' } }, b.name);
    const history = out.history as { samplesPerSec: number }[];
    const speed = history.reduce((s, h) => s + h.samplesPerSec, 0) / Math.max(1, history.length);
    row(results, 'td', [
      b.name,
      Math.round(speed).toLocaleString('en-US'),
      String(out.metrics.accuracy?.toFixed(3)),
      String(history.length),
    ]);
  }
  status.textContent = 'done';
}

document.getElementById('bench')!.addEventListener('click', () => {
  const status = document.getElementById('status')!;
  bench(status).catch((e: unknown) => (status.textContent = `failed: ${e instanceof Error ? e.message : String(e)}`));
});
