/**
 * Lean inference (core/infer) against tfjs `predict` on the CPU and WASM backends, per row: one row
 * per call (what the edge does for a single request, tensor creation and readback included) and
 * batches of 1,024 rows. The lean runtime runs with both of its Dense kernels: WebAssembly SIMD (the
 * default in Node and browsers) and plain JS (what runtimes that forbid compiling wasm get, e.g.
 * workerd). Targets (DESIGN.md, Inference): ≥ 20× faster than tfjs per single row, no slower per batch.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { useNodeBackend } from '../cli/tfjs-node';
import { compileLeanModel } from '../core/infer';
import { normalValues, saveModel, seededRandom, setSeededWeights } from '../tests/support/infer-models';
import { fmt, markdownTable, timeMedian, type BenchResult } from './harness';

// Rows per batch call, as a bulk scoring job or a large KServe request would send.
const BATCH_ROWS = 1024;
// Single-row calls per timing: tens of milliseconds for each engine.
const TFJS_SINGLE_CALLS = 200;
const LEAN_SINGLE_CALLS = 2000;
const RUNS = 7;

interface ModelCase {
  label: string;
  dims: number[];
  output: 'linear' | 'softmax';
}

const CASES: ModelCase[] = [
  { label: '20-64-64-1 (relu)', dims: [20, 64, 64, 1], output: 'linear' },
  { label: '100-256-256-10 (relu, softmax)', dims: [100, 256, 256, 10], output: 'softmax' },
];

const ENGINES = ['tfjs cpu', 'tfjs wasm', 'lean, wasm kernel', 'lean, js kernel'] as const;
type Engine = (typeof ENGINES)[number];

interface Timing {
  single: number;
  batch: number;
}

function buildModel(c: ModelCase): tfl.LayersModel {
  const layers = c.dims.slice(1).map((units, i) => tfl.layers.dense({
    units,
    activation: i === c.dims.length - 2 ? c.output : 'relu',
    ...(i === 0 ? { inputShape: [c.dims[0]] } : {}),
  }));
  const model = tfl.sequential({ layers });
  setSeededWeights(model, seededRandom(c.dims.length));
  return model;
}

/** µs per row: `calls` one-row predictions cycling through `pool`, and one batch of BATCH_ROWS rows. */
async function timeEngine(predict: (x: Float32Array, rows: number) => unknown, pool: Float32Array, dim: number, calls: number): Promise<Timing> {
  const singleMs = await timeMedian(() => {
    for (let i = 0; i < calls; i++) {
      const r = i % BATCH_ROWS;
      predict(pool.subarray(r * dim, (r + 1) * dim), 1);
    }
  }, RUNS, 1);
  const batchMs = await timeMedian(() => predict(pool, BATCH_ROWS), RUNS, 2);
  return { single: (singleMs * 1000) / calls, batch: (batchMs * 1000) / BATCH_ROWS };
}

async function timeModel(c: ModelCase): Promise<Map<Engine, Timing>> {
  const dim = c.dims[0];
  const pool = normalValues(seededRandom(7), BATCH_ROWS * dim);
  const timings = new Map<Engine, Timing>();
  await useNodeBackend('cpu');
  const { artifacts } = await saveModel(buildModel(c));
  for (const kernel of ['wasm', 'js'] as const) {
    const lean = compileLeanModel(artifacts, { kernel });
    timings.set(`lean, ${kernel} kernel`, await timeEngine((x, rows) => lean.predict(x, rows), pool, dim, LEAN_SINGLE_CALLS));
  }
  for (const backend of ['cpu', 'wasm'] as const) {
    await useNodeBackend(backend);
    const model = buildModel(c);
    const predict = (x: Float32Array, rows: number) => tf.tidy(() => (model.predict(tf.tensor2d(x, [rows, dim])) as tf.Tensor).dataSync());
    timings.set(`tfjs ${backend}`, await timeEngine(predict, pool, dim, TFJS_SINGLE_CALLS));
    model.dispose();
  }
  return timings;
}

export async function bench(): Promise<BenchResult> {
  const rows: (string | number)[][] = [];
  const verdicts: string[] = [];
  for (const c of CASES) {
    const t = await timeModel(c);
    const flops = c.dims.slice(1).reduce((sum, units, i) => sum + 2 * c.dims[i] * units, 0);
    const ratio = (tfjs: Engine, lean: Engine, key: keyof Timing) => t.get(tfjs)![key] / t.get(lean)![key];
    for (const engine of ENGINES) {
      const { single, batch } = t.get(engine)!;
      const isLean = engine.startsWith('lean');
      const vs = (tfjs: Engine, key: keyof Timing) => (isLean ? `${fmt(ratio(tfjs, engine, key), key === 'single' ? 1 : 2)}×` : '—');
      rows.push([c.label, engine, fmt(single), vs('tfjs cpu', 'single'), vs('tfjs wasm', 'single'), fmt(batch), vs('tfjs cpu', 'batch'), vs('tfjs wasm', 'batch'), fmt(flops / batch / 1000)]);
    }
    // The JS kernel runs only where WebAssembly cannot be compiled, where tfjs's WASM backend cannot run either.
    for (const [lean, baselines] of [['lean, wasm kernel', ['tfjs cpu', 'tfjs wasm']], ['lean, js kernel', ['tfjs cpu']]] as const) {
      const single = Math.min(...baselines.map((b) => ratio(b, lean, 'single')));
      const batch = Math.min(...baselines.map((b) => ratio(b, lean, 'batch')));
      const against = baselines.length > 1 ? 'the faster tfjs backend' : 'tfjs cpu';
      verdicts.push(`- ${c.label}, ${lean} vs ${against}: single row ${fmt(single, 1)}× (${single >= 20 ? 'met' : 'NOT met'}), batch ${fmt(batch, 2)}× (${batch >= 1 ? 'met' : 'NOT met'}).`);
    }
  }
  const markdown = [
    `tfjs 4.22 \`model.predict\` (tensor creation and \`dataSync\` included) against the lean runtime, same weights and inputs. One row per call: ${LEAN_SINGLE_CALLS} lean / ${TFJS_SINGLE_CALLS} tfjs calls; batch: ${BATCH_ROWS} rows per call. Median of ${RUNS} runs; speed-up = tfjs time / lean time. GFLOP/s counts 2 per multiply-add of the Dense layers.`,
    '',
    markdownTable(
      ['model', 'engine', 'µs/row, 1 row', 'vs tfjs cpu', 'vs tfjs wasm', `µs/row, ${BATCH_ROWS} rows`, 'vs tfjs cpu', 'vs tfjs wasm', 'GFLOP/s (batch)'],
      rows,
    ),
    '',
    'Targets: ≥ 20× per single row and ≥ 1× per batch. The WebAssembly kernel (Node, browsers) is held to the faster tfjs backend; the JS kernel serves runtimes that cannot compile WebAssembly (workerd), where tfjs can only run on cpu:',
    ...verdicts,
  ].join('\n');
  return { title: 'Inference: lean runtime vs tfjs predict', markdown };
}
