/**
 * Lean inference (core/infer) against tfjs `predict` on the CPU and WASM backends, per row: one row
 * per call (what the edge does for a single request, tensor creation and readback included) and
 * batches of 1,024 rows. The lean runtime runs with both of its Dense kernels: WebAssembly SIMD (the
 * default in Node, browsers and Workers) and plain JS (what runtimes that cannot compile WebAssembly
 * get: a page whose Content-Security-Policy forbids it), and with the previous WebAssembly kernel
 * (float64, 2 lanes; a copy under bench/infer-baseline/) for new ÷ old in the same run. Targets: ≥ 20×
 * faster than tfjs per single row, no slower per batch; batches ≥ 3× the previous kernel's GFLOP/s, the
 * wide model's single row ≥ 2× faster, the small model's no slower.
 *
 * The peer a user would pick instead is onnxruntime-node on one thread (intra- and inter-op), running
 * the same weights written as ONNX by bench/onnx_mlp.py (Debian's python3-onnx; the peer is skipped,
 * and says so, without it). Its outputs are checked against the lean runtime's before it is timed.
 *
 * Times are the process's CPU time, not wall time: on a shared machine CPU time counts only this
 * process's work. Engines run in alternating rounds and each reports its median round; the lean
 * runtime's three kernels each in a worker thread of its own (bench/infer-lean-engine.ts says why).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { useNodeBackend } from '../cli/tfjs-node';
import { Worker } from 'node:worker_threads';
import { compileLeanModel } from '../core/infer';
import { kernelVariant, wasmDenseModule, WIDE_PANEL, type WasmDenseExports } from '../core/infer/wasm-dense-kernel';
import type { LeanEngineData, LeanKernel } from './infer-lean-engine';
import { BATCH_CALLS, BATCH_ROWS, cpuMs, timeRound, type Predict, type Timing } from './infer-timing';
import { maxAbsDiff, normalValues, saveModel, seededRandom, setSeededWeights } from '../tests/support/infer-models';
import { fmt, markdownTable, type BenchResult } from './harness';
import { simdPeak } from './simd-peak';

// Single-row calls per timing: tens of milliseconds for each engine.
const TFJS_SINGLE_CALLS = 200;
const LEAN_SINGLE_CALLS = 2000;
const ROUNDS = 9;

interface ModelCase {
  label: string;
  dims: number[];
  output: 'linear' | 'softmax';
}

const CASES: ModelCase[] = [
  { label: '20-64-64-1 (relu)', dims: [20, 64, 64, 1], output: 'linear' },
  { label: '100-256-256-10 (relu, softmax)', dims: [100, 256, 256, 10], output: 'softmax' },
];

const ENGINES = [
  'onnxruntime-node, 1 thread',
  'tfjs cpu',
  'tfjs wasm',
  'lean, wasm kernel',
  'lean, previous wasm kernel',
  'lean, js kernel',
] as const;
const ORT: Engine = 'onnxruntime-node, 1 thread';
const ORT_SINGLE_CALLS = 2000;
const PYTHON = '/usr/bin/python3';
const here = path.dirname(fileURLToPath(import.meta.url));
/** Largest difference allowed between the peer's outputs and the lean runtime's (float32 sums in another order). */
const PEER_TOLERANCE = 1e-4;
type Engine = (typeof ENGINES)[number];

/** The SIMD extensions of this machine's CPU that native libraries (onnxruntime's MLAS) use, from /proc/cpuinfo. */
function cpuSimd(): string {
  try {
    const flags = /^flags\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1].split(' ') ?? [];
    const named = ['avx2', 'fma', 'avx512f', 'avx512_vnni'].filter((f) => flags.includes(f));
    return named.length > 0 ? named.join(', ') : 'none of avx2, fma, avx512f';
  } catch {
    return 'unknown (no /proc/cpuinfo)';
  }
}

function buildModel(c: ModelCase): tfl.LayersModel {
  const layers = c.dims.slice(1).map((units, i) =>
    tfl.layers.dense({
      units,
      activation: i === c.dims.length - 2 ? c.output : 'relu',
      ...(i === 0 ? { inputShape: [c.dims[0]] } : {}),
    }),
  );
  const model = tfl.sequential({ layers });
  setSeededWeights(model, seededRandom(c.dims.length));
  return model;
}

/** Why the ONNX peer cannot run here, or null when it can. */
function peerMissing(): string | null {
  try {
    execFileSync(PYTHON, ['-c', 'import onnx'], { stdio: 'ignore' });
    return null;
  } catch {
    return `${PYTHON} cannot import onnx (Debian: apt-get install python3-onnx)`;
  }
}

/** The model's weights written as ONNX (bench/onnx_mlp.py) and opened by onnxruntime-node on one thread. */
async function ortSession(c: ModelCase, model: tfl.LayersModel): Promise<ort.InferenceSession> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flywheel-onnx-'));
  try {
    const weights = model.getWeights();
    const layers = [];
    for (let i = 0; i < weights.length; i += 2)
      layers.push({ kernel: Array.from(weights[i].dataSync()), bias: Array.from(weights[i + 1].dataSync()) });
    writeFileSync(path.join(dir, 'spec.json'), JSON.stringify({ dims: c.dims, output: c.output, layers }));
    execFileSync(PYTHON, [path.join(here, 'onnx_mlp.py'), path.join(dir, 'spec.json'), path.join(dir, 'model.onnx')], {
      stdio: 'inherit',
    });
    return await ort.InferenceSession.create(path.join(dir, 'model.onnx'), {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** µs per row for onnxruntime, timed like `timeRound` (its `run` returns a promise, so awaited per call). */
async function timeOrtRound(session: ort.InferenceSession, pool: Float32Array, dim: number): Promise<Timing> {
  const run = (x: Float32Array, rows: number) => session.run({ x: new ort.Tensor('float32', x, [rows, dim]) });
  let t0 = cpuMs();
  for (let i = 0; i < ORT_SINGLE_CALLS; i++) {
    const r = i % BATCH_ROWS;
    await run(pool.subarray(r * dim, (r + 1) * dim), 1);
  }
  const single = ((cpuMs() - t0) * 1000) / ORT_SINGLE_CALLS;
  t0 = cpuMs();
  for (let i = 0; i < BATCH_CALLS; i++) await run(pool, BATCH_ROWS);
  return { single, batch: ((cpuMs() - t0) * 1000) / (BATCH_CALLS * BATCH_ROWS) };
}

/** The bare kernel's width for `kernelCeiling`: one 256 → 256 layer, as in the wide model. */
const CEILING_DIM = 256;

/**
 * GFLOP/s of the WebAssembly kernel alone on one CEILING_DIM → CEILING_DIM layer of BATCH_ROWS rows:
 * the export called directly on data already in its memory (no copies in or out, no activation, no
 * other layer), median of ROUNDS rounds. What a whole model can reach is below this.
 */
function kernelCeiling(): number {
  const module = wasmDenseModule();
  if (!module) throw new Error('this runtime cannot compile the WebAssembly Dense kernel');
  const [k, m] = [CEILING_DIM, CEILING_DIM];
  const floats = BATCH_ROWS * k + k * m + m + BATCH_ROWS * m;
  const pages = Math.ceil((floats * 4) / 65536);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const kernel = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as WasmDenseExports;
  const heap = new Float32Array(memory.buffer);
  heap.set(normalValues(seededRandom(11), floats));
  const [x, w] = [0, BATCH_ROWS * k * 4];
  const b = w + k * m * 4;
  const y = b + m * 4;
  const calls = BATCH_CALLS * 4;
  const run = () => {
    for (let i = 0; i < calls; i++)
      kernel.dense(kernelVariant(WIDE_PANEL, false), x, BATCH_ROWS, k, w, b, m / WIDE_PANEL, y, m * 4);
  };
  run();
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = cpuMs();
    run();
    rounds.push((2 * k * m * BATCH_ROWS * calls) / ((cpuMs() - t0) * 1e6));
  }
  return median(rounds);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs the engines in alternating rounds (after one warm-up round each) and keeps each one's median. */
async function timeAlternating(
  engines: [Engine, () => Timing | Promise<Timing>][],
  before: (engine: Engine) => Promise<unknown>,
): Promise<Map<Engine, Timing>> {
  const rounds = new Map<Engine, Timing[]>(engines.map(([e]) => [e, []]));
  for (let round = -1; round < ROUNDS; round++) {
    for (const [engine, timeOne] of engines) {
      await before(engine);
      const t = await timeOne();
      if (round >= 0) rounds.get(engine)!.push(t);
    }
  }
  return new Map(
    engines.map(([e]) => [
      e,
      { single: median(rounds.get(e)!.map((t) => t.single)), batch: median(rounds.get(e)!.map((t) => t.batch)) },
    ]),
  );
}

/**
 * A lean engine in a worker thread of its own (bench/infer-lean-engine.ts says why): `round` times one
 * round there. Its CPU time is this process's, which idles while it waits.
 */
async function leanEngine(
  kernel: LeanKernel,
  data: Omit<LeanEngineData, 'kernel'>,
): Promise<{ round: () => Promise<Timing>; close: () => Promise<number> }> {
  const worker = new Worker(new URL('./infer-lean-thread.js', import.meta.url), {
    workerData: { ...data, kernel } satisfies LeanEngineData,
  });
  const next = () =>
    new Promise<unknown>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  await next();
  return {
    round: async () => {
      const reply = next();
      worker.postMessage('round');
      return (await reply) as Timing;
    },
    close: () => worker.terminate(),
  };
}

async function timeModel(c: ModelCase, withPeer: boolean): Promise<Map<Engine, Timing>> {
  const dim = c.dims[0];
  const pool = normalValues(seededRandom(7), BATCH_ROWS * dim);
  await useNodeBackend('cpu');
  const reference = buildModel(c);
  const { artifacts } = await saveModel(reference);
  const lean =
    (model: ReturnType<typeof compileLeanModel>): Predict =>
    (x, rows) =>
      model.predict(x, rows);
  // For the peer's rounds below and the output check; the three kernels' own rounds run in worker threads.
  const leanWasm = compileLeanModel(artifacts, { kernel: 'wasm' });
  const data = { artifacts, pool, dim, calls: LEAN_SINGLE_CALLS };
  const engines = [
    ['lean, wasm kernel', await leanEngine('wasm', data)],
    ['lean, previous wasm kernel', await leanEngine('previous', data)],
    ['lean, js kernel', await leanEngine('js', data)],
  ] as const;
  const leanTimings = await timeAlternating(
    engines.map(([engine, e]) => [engine, e.round]),
    async () => {},
  );
  await Promise.all(engines.map(([, e]) => e.close()));
  if (withPeer) {
    // The peer against the lean WebAssembly kernel, alternating rounds as above.
    const session = await ortSession(c, reference);
    const peerOut = (await session.run({ x: new ort.Tensor('float32', pool, [BATCH_ROWS, dim]) })).y
      .data as Float32Array;
    const diff = maxAbsDiff(peerOut, leanWasm.predict(pool, BATCH_ROWS));
    if (!(diff <= PEER_TOLERANCE))
      throw new Error(`onnxruntime and the lean runtime disagree on ${c.label} by ${diff}: not the same model`);
    const peerRounds: Timing[] = [];
    const leanRounds: Timing[] = [];
    for (let round = -1; round < ROUNDS; round++) {
      const p = await timeOrtRound(session, pool, dim);
      const l = timeRound(lean(leanWasm), pool, dim, LEAN_SINGLE_CALLS);
      if (round >= 0) {
        peerRounds.push(p);
        leanRounds.push(l);
      }
    }
    await session.release();
    const med = (ts: Timing[]): Timing => ({
      single: median(ts.map((t) => t.single)),
      batch: median(ts.map((t) => t.batch)),
    });
    leanTimings.set(ORT, med(peerRounds));
    // The lean kernel's figures from the rounds that alternated with the peer's, so the ratio is same-run.
    leanTimings.set('lean, wasm kernel', med(leanRounds));
  }
  reference.dispose();
  const tfjsModels = new Map<Engine, tfl.LayersModel>();
  const tfjsEngines: [Engine, Predict, number][] = [];
  for (const backend of ['cpu', 'wasm'] as const) {
    await useNodeBackend(backend);
    const model = buildModel(c);
    tfjsModels.set(`tfjs ${backend}`, model);
    tfjsEngines.push([
      `tfjs ${backend}`,
      (x, rows) => tf.tidy(() => (model.predict(tf.tensor2d(x, [rows, dim])) as tf.Tensor).dataSync()),
      TFJS_SINGLE_CALLS,
    ]);
  }
  // tfjs runs ops on the active backend (moving the weights to it): switch before each round.
  const tfjsTimings = await timeAlternating(
    tfjsEngines.map(([engine, predict, calls]) => [engine, () => timeRound(predict, pool, dim, calls)]),
    (engine) => useNodeBackend(engine === 'tfjs cpu' ? 'cpu' : 'wasm'),
  );
  for (const model of tfjsModels.values()) model.dispose();
  return new Map([...leanTimings, ...tfjsTimings]);
}

export async function bench(): Promise<BenchResult> {
  const loadAverage = os.loadavg()[0];
  const missing = peerMissing();
  const rows: (string | number)[][] = [];
  const peerRows: (string | number)[][] = [];
  const verdicts: string[] = [];
  const kernelRows: (string | number)[][] = [];
  /** Batch GFLOP/s of the new kernel, the previous one and the peer, per model, for the reason a target is missed. */
  const gflops: { label: string; lean: number; previous: number; peer: number | null; speedup: number }[] = [];
  for (const c of CASES) {
    const t = await timeModel(c, missing === null);
    const flops = c.dims.slice(1).reduce((sum, units, i) => sum + 2 * c.dims[i] * units, 0);
    const ratio = (tfjs: Engine, lean: Engine, key: keyof Timing) => t.get(tfjs)![key] / t.get(lean)![key];
    for (const engine of ENGINES) {
      if (!t.has(engine)) continue;
      const { single, batch } = t.get(engine)!;
      const isLean = engine.startsWith('lean');
      const vs = (tfjs: Engine, key: keyof Timing) =>
        isLean ? `${fmt(ratio(tfjs, engine, key), key === 'single' ? 1 : 2)}×` : '—';
      rows.push([
        c.label,
        engine,
        fmt(single),
        vs('tfjs cpu', 'single'),
        vs('tfjs wasm', 'single'),
        fmt(batch),
        vs('tfjs cpu', 'batch'),
        vs('tfjs wasm', 'batch'),
        fmt(flops / batch / 1000),
      ]);
    }
    // The JS kernel runs only where WebAssembly cannot be compiled, where tfjs's WASM backend cannot run either.
    for (const [lean, baselines] of [
      ['lean, wasm kernel', ['tfjs cpu', 'tfjs wasm']],
      ['lean, js kernel', ['tfjs cpu']],
    ] as const) {
      const single = Math.min(...baselines.map((b) => ratio(b, lean, 'single')));
      const batch = Math.min(...baselines.map((b) => ratio(b, lean, 'batch')));
      const against = baselines.length > 1 ? 'the faster tfjs backend' : 'tfjs cpu';
      verdicts.push(
        `- ${c.label}, ${lean} vs ${against}: single row ${fmt(single, 1)}× (${single >= 20 ? 'met' : 'NOT met'}), batch ${fmt(batch, 2)}× (${batch >= 1 ? 'met' : 'NOT met'}).`,
      );
    }
    if (t.has(ORT)) {
      // Flywheel ÷ peer as speed: above 1 the lean runtime is ahead.
      const ahead = (key: keyof Timing) => t.get(ORT)![key] / t.get('lean, wasm kernel')![key];
      peerRows.push([
        c.label,
        fmt(t.get(ORT)!.single),
        fmt(t.get('lean, wasm kernel')!.single),
        `${fmt(ahead('single'), 2)}×`,
        fmt(t.get(ORT)!.batch),
        fmt(t.get('lean, wasm kernel')!.batch),
        `${fmt(ahead('batch'), 2)}×`,
      ]);
    }
    const previous = (key: keyof Timing) => ratio('lean, previous wasm kernel', 'lean, wasm kernel', key);
    const [newSingle, newBatch] = [previous('single'), previous('batch')];
    const singleTarget = c.dims[1] >= 256 ? 2 : 1;
    const batchGflops = (engine: Engine) => flops / t.get(engine)!.batch / 1000;
    gflops.push({
      label: c.label,
      lean: batchGflops('lean, wasm kernel'),
      previous: batchGflops('lean, previous wasm kernel'),
      peer: t.has(ORT) ? batchGflops(ORT) : null,
      speedup: newBatch,
    });
    kernelRows.push([
      c.label,
      `${fmt(newSingle, 2)}×`,
      fmt(batchGflops('lean, previous wasm kernel')),
      fmt(batchGflops('lean, wasm kernel')),
      `${fmt(newBatch, 2)}×`,
    ]);
    verdicts.push(
      `- ${c.label}, wasm kernel vs the previous one: single row ${fmt(newSingle, 2)}× (target ≥ ${singleTarget}×: ${newSingle >= singleTarget ? 'met' : 'NOT met'}), batch ${fmt(newBatch, 2)}× (target ≥ 3×: ${newBatch >= 3 ? 'met' : 'NOT met'}).`,
    );
  }
  const markdown = [
    `tfjs 4.22 \`model.predict\` (tensor creation and \`dataSync\` included) against the lean runtime, same weights and inputs. One row per call: ${LEAN_SINGLE_CALLS} lean / ${TFJS_SINGLE_CALLS} tfjs calls; batch: ${BATCH_ROWS} rows per call. Process CPU time, engines in alternating rounds, median of ${ROUNDS} rounds, each lean kernel in a worker thread of its own (in one isolate, V8's type feedback shared between the kernels' layers cost the previous and JS kernels 40–70 %) (1-minute load average ${fmt(loadAverage)} on ${os.cpus().length} cores when the bench started: CPU time, not wall time, is what is compared); speed-up = tfjs time / lean time. GFLOP/s counts 2 per multiply-add of the Dense layers. "previous wasm kernel" is the float64, 2-lane kernel this one replaced (bench/infer-baseline/).`,
    '',
    markdownTable(
      [
        'model',
        'engine',
        'µs/row, 1 row',
        'vs tfjs cpu',
        'vs tfjs wasm',
        `µs/row, ${BATCH_ROWS} rows`,
        'vs tfjs cpu',
        'vs tfjs wasm',
        'GFLOP/s (batch)',
      ],
      rows,
    ),
    '',
    'The WebAssembly kernel (float32, f32x4, register-blocked) against the previous one (float64, f64x2), same run:',
    '',
    markdownTable(
      [
        'model',
        'speed-up, 1 row',
        `previous GFLOP/s, ${BATCH_ROWS} rows`,
        `GFLOP/s, ${BATCH_ROWS} rows`,
        `speed-up, ${BATCH_ROWS} rows`,
      ],
      kernelRows,
    ),
    '',
    'Against the peer a user would pick instead, onnxruntime-node 1.31 on one thread (the same weights as ONNX, outputs checked within 1e-4), alternating rounds with the lean WebAssembly kernel; speed = peer time / lean time (above 1×: Flywheel ahead):',
    '',
    missing
      ? `Not run: ${missing}.`
      : markdownTable(
          [
            'model',
            'ORT µs/row, 1 row',
            'lean µs/row, 1 row',
            'speed, 1 row',
            `ORT µs/row, ${BATCH_ROWS} rows`,
            `lean µs/row, ${BATCH_ROWS} rows`,
            `speed, ${BATCH_ROWS} rows`,
          ],
          peerRows,
        ),
    '',
    'Targets: ≥ 20× per single row and ≥ 1× per batch against tfjs; against the previous kernel (issue 19) ≥ 3× per batch, ≥ 2× per single row on the wide model and no slower on the small one. The WebAssembly kernel (Node, browsers, Workers) is held to the faster tfjs backend; the JS kernel serves runtimes that cannot compile WebAssembly (a page whose Content-Security-Policy forbids it; Workers run the WebAssembly kernel, precompiled), where tfjs can only run on cpu:',
    ...verdicts,
    ...batchReason(gflops, kernelCeiling(), simdPeak(false, cpuMs), simdPeak(true, cpuMs)),
  ].join('\n');
  return { title: 'Inference: lean runtime vs tfjs predict', markdown };
}

/** Why batches fall short of 3× the previous kernel, or of the peer, from this run's GFLOP/s; nothing when they do not. */
function batchReason(
  gflops: { label: string; lean: number; previous: number; peer: number | null; speedup: number }[],
  ceiling: number,
  peak: number | null,
  fusedPeak: number | null,
): string[] {
  const missed = gflops.filter((g) => g.speedup < 3);
  const behindPeer = gflops.filter((g) => g.peer !== null && g.peer > g.lean);
  if (missed.length === 0 && behindPeer.length === 0) return [];
  const list = (f: (g: (typeof gflops)[number]) => string) => gflops.map((g) => `${f(g)} (${g.label})`).join(', ');
  return [
    '',
    `Why batches stay short of 3× the previous kernel${behindPeer.length > 0 ? ' and of the peer' : ''}: the kernel now reaches ${list((g) => `${fmt(g.lean)} GFLOP/s`)} against the previous kernel's ${list((g) => fmt(g.previous))}, i.e. ${list((g) => `${fmt(g.speedup, 2)}×`)}. WebAssembly SIMD is 128 bits wide, so going from float64 (f64x2) to float32 (f32x4) doubles the lanes: 2× is what the width gives, and register blocking, reading float32 without staging and ReLU applied as outputs are stored add the rest. ${ceilingNote(missed, ceiling, peak)}Each f32x4 multiply-add takes two instructions (\`f32x4.mul\`, \`f32x4.add\`: 8 flops); the fused \`f32x4.relaxed_madd\` of relaxed SIMD ${fusedPeak !== null ? `validates in this runtime, and the same loop built of it reaches ${fmt(fusedPeak)} GFLOP/s${peak !== null ? ` (${fmt(fusedPeak / peak, 2)}× the mul and add loop's)` : ''}` : `does not validate in this runtime (Node ${process.version} without \`--experimental-wasm-relaxed-simd\`)`}. ${gflops.some((g) => g.peer !== null) ? `onnxruntime-node runs native kernels on this CPU (SIMD flags: ${cpuSimd()}; a 512-bit FMA is 32 flops per instruction) and reaches ${list((g) => (g.peer === null ? '—' : `${fmt(g.peer)} GFLOP/s`))} on the same batches, ${list((g) => (g.peer === null ? '—' : `${fmt(g.peer / g.lean, 1)}×`))} the lean kernel's: a gap mostly of instruction width (a 128-bit multiply and add do 8 flops in two instructions, a 512-bit FMA 32 in one), which WebAssembly's 128-bit SIMD cannot close.` : ''}`,
  ];
}

/** Whether 3× the previous kernel would take more than the bare kernel's GFLOP/s, per model that misses it. */
function ceilingNote(missed: { label: string; previous: number }[], ceiling: number, peak: number | null): string {
  const above = missed.filter((g) => 3 * g.previous > ceiling);
  const within = missed.filter((g) => 3 * g.previous <= ceiling);
  const needs = (gs: typeof missed) => gs.map((g) => `${fmt(3 * g.previous)} GFLOP/s (${g.label})`).join(', ');
  return [
    `The kernel alone, called on one ${CEILING_DIM} → ${CEILING_DIM} layer of ${BATCH_ROWS} rows already in its memory (no copies, no activation, no other layer), reaches ${fmt(ceiling)} GFLOP/s in this run. `,
    above.length > 0
      ? `3× the previous kernel needs ${needs(above)} over the whole model, copies and small layers included: more than the bare kernel reaches. `
      : '',
    within.length > 0
      ? `3× the previous kernel needs ${needs(within)}, within the bare kernel's reach: what is lost there is in the model around the kernel (copies between layers, narrow layers, the activations). `
      : '',
    peak !== null
      ? `The ceiling of the instructions themselves (bench/simd-peak.ts: the kernel's own loop — splats, \`f32x4.mul\`, \`f32x4.add\` into eight sums — with its weights held in registers, so nothing but x is read; best of 9 rounds) is ${fmt(peak)} GFLOP/s on this machine: the bare kernel runs at ${fmt((100 * ceiling) / peak, 0)} % of it${missed.length > 0 ? `, and 3× the previous kernel would need ${missed.map((g) => `${fmt((100 * 3 * g.previous) / peak, 0)} % (${g.label})`).join(', ')} of it over the whole model` : ''}. `
      : '',
  ].join('');
}
