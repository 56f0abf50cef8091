/**
 * Dynamic batching, as Triton's: rows of concurrent predict requests for the same loaded version go
 * to the model in one kernel call, and each request gets its own answer back (its request ids, log
 * rows, telemetry and errors: a bad row fails only the request that sent it).
 *
 * Requests are collected while the runtime delivers the I/O it has ready, and predicted when that
 * delivery ends (Node: `setImmediate`, which runs after the event loop's I/O phase). No timer waits
 * for more: an idle server answers a lone request in the same loop turn as without batching.
 *
 * Whether it pays is the model's: one kernel call per request costs a fixed amount (staging, calls
 * per layer) that a batch shares, and a model whose weights fit in cache gains little from sharing
 * it while every request pays the promise and the wait. So when a version loads, its kernel is timed
 * on one row and on BATCH_PROBE_ROWS rows, and it is batched when the batch saves at least
 * MIN_SAVING_US per row (`auto`, the default). The operator can force it: FLYWHEEL_BATCH=on|off|auto
 * on Node (`batching` in NodeEdgeOptions). Workers do not batch (edge/runtime/worker.ts says why).
 * Measured in bench/batching.bench.ts; docs/BENCHMARKS.md (#19) has the figures.
 */
import { FlywheelError } from '../core/errors';
import type { Predictor } from '../core/infer';

/** `auto`: batch a model when its measured batch saving pays (the default); `on` / `off`: always / never. */
export type BatchMode = 'auto' | 'on' | 'off';

/** The environment variable `flywheel start` / `flywheel serve` read the mode from (through startNodeEdge). */
export const BATCH_SETTING = 'FLYWHEEL_BATCH';

/** How the runtime batches: the mode, and how it runs work once the I/O it has ready has been delivered. */
export interface BatchingPort {
  mode: BatchMode;
  /** Runs `work` after the I/O callbacks now due (Node: setImmediate). */
  defer: (work: () => void) => void;
}

/** Rows of the batch timed against one row when a version loads: what a few concurrent clients make. */
export const BATCH_PROBE_ROWS = 8;
/**
 * The saving per row (µs) a batch must show for `auto` to batch: what a request pays to join one (its
 * promise, the deferred run, the split, an answer held to the end of the turn). Measured by
 * bench/batching.bench.ts on the 2-core machine of docs/BENCHMARKS.md: the batched path cost 10–30 µs
 * of server CPU per request more than the kernel saved, for the penguins model (saving ~1.3 µs per
 * row) and for a 100-256-256-10 one (5–8 µs), so both stay unbatched; layers of ~1,000 units, whose
 * single rows are memory-bound, save far more.
 */
export const MIN_SAVING_US = 15;
/** Rows per kernel call at most: a batch this full runs at once rather than waiting for the turn's end. */
export const MAX_BATCH_ROWS = 64;
/** Timed rounds of the load-time probe; the fastest counts (a shared machine only ever adds time). */
const PROBE_ROUNDS = 7;
/** Rows per round of the probe, single and batched alike. */
const PROBE_ROWS_PER_ROUND = 64;

/** The mode a setting spells (unset or empty: auto); anything else is a bad_input naming the setting. */
export function parseBatchMode(raw: string | undefined, setting = BATCH_SETTING): BatchMode {
  const value = raw?.trim().toLowerCase() ?? '';
  if (value === '') return 'auto';
  if (value === 'auto' || value === 'on' || value === 'off') return value;
  throw new FlywheelError('bad_input', `${setting}: "${raw}" is not a batching mode; use auto, on or off`, [
    { path: setting, message: 'expected auto, on or off' },
  ]);
}

/** A version's kernel, timed when it loaded: µs per row alone and in a batch of BATCH_PROBE_ROWS. */
export interface BatchCost {
  singleUs: number;
  batchedUs: number;
}

/** Times the predictor on one row and on a batch (fastest of PROBE_ROUNDS rounds each, alternating). */
export function measureBatchCost(predictor: Predictor): BatchCost {
  const dim = predictor.inputDim;
  const x = new Float32Array(BATCH_PROBE_ROWS * dim);
  // Values of the size inputs have after standardization; zeros could take a path real rows do not.
  for (let i = 0; i < x.length; i++) x[i] = ((i * 7919) % 200) / 100 - 1;
  const one = x.subarray(0, dim);
  let singleUs = Infinity;
  let batchedUs = Infinity;
  // Untimed first: a fresh module runs unoptimized code until the engine tiers it up.
  for (let i = 0; i < PROBE_ROWS_PER_ROUND; i++) predictor.predict(one, 1);
  for (let i = 0; i < PROBE_ROWS_PER_ROUND / BATCH_PROBE_ROWS; i++) predictor.predict(x, BATCH_PROBE_ROWS);
  for (let round = 0; round < PROBE_ROUNDS; round++) {
    let t0 = performance.now();
    for (let i = 0; i < PROBE_ROWS_PER_ROUND; i++) predictor.predict(one, 1);
    singleUs = Math.min(singleUs, ((performance.now() - t0) * 1000) / PROBE_ROWS_PER_ROUND);
    t0 = performance.now();
    for (let i = 0; i < PROBE_ROWS_PER_ROUND / BATCH_PROBE_ROWS; i++) predictor.predict(x, BATCH_PROBE_ROWS);
    batchedUs = Math.min(batchedUs, ((performance.now() - t0) * 1000) / PROBE_ROWS_PER_ROUND);
  }
  return { singleUs, batchedUs };
}

/** Whether a version is batched under `mode`, and its measured cost when it was timed (auto only). */
export function decideBatching(mode: BatchMode, predictor: Predictor): { batched: boolean; cost: BatchCost | null } {
  if (mode !== 'auto') return { batched: mode === 'on', cost: null };
  const cost = measureBatchCost(predictor);
  return { batched: cost.singleUs - cost.batchedUs >= MIN_SAVING_US, cost };
}

/** A request waiting in a batch. */
export interface Waiting<Item, Result> {
  item: Item;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

/**
 * Requests collected per key (a loaded version) until the deferred run, or until MAX_BATCH_ROWS rows
 * wait on one key; `run` predicts one key's requests and settles each.
 */
export class Batcher<Key, Item extends { rows: readonly unknown[] }, Result> {
  private readonly queues = new Map<Key, { waiting: Waiting<Item, Result>[]; rows: number }>();
  private scheduled = false;
  private readonly runAll = () => this.flush();
  /** Kernel calls made and requests they served, since start (bench/batching.bench.ts and the tests read them). */
  batches = 0;
  requests = 0;

  constructor(
    private readonly defer: (work: () => void) => void,
    private readonly run: (key: Key, waiting: Waiting<Item, Result>[]) => void,
  ) {}

  add(key: Key, item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      let queue = this.queues.get(key);
      if (!queue) this.queues.set(key, (queue = { waiting: [], rows: 0 }));
      queue.waiting.push({ item, resolve, reject });
      queue.rows += item.rows.length;
      if (queue.rows >= MAX_BATCH_ROWS) {
        this.queues.delete(key);
        this.runOne(key, queue.waiting);
      } else if (!this.scheduled) {
        this.scheduled = true;
        this.defer(this.runAll);
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const queues = [...this.queues];
    this.queues.clear();
    for (const [key, queue] of queues) this.runOne(key, queue.waiting);
  }

  private runOne(key: Key, waiting: Waiting<Item, Result>[]): void {
    this.batches++;
    this.requests += waiting.length;
    try {
      this.run(key, waiting);
    } catch (e) {
      // `run` settles each request itself; a throw past that must still leave none waiting forever.
      for (const w of waiting) w.reject(e);
    }
  }
}
