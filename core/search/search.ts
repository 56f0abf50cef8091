/**
 * Model search by successive halving (Jamieson & Talwalkar 2016; Hyperband's inner loop), η = 3:
 * 27 candidates train a 27th of the epochs, the best third a ninth, the best three a third, each with
 * early stopping; the pipeline then trains the choice for all the epochs (with early stopping). Batch
 * sizes follow the rows (space.ts), so an epoch costs about the same steps on any data and the plan —
 * some 900 fold-epochs — fits the default budget on one core. Why this and not a Bayesian/TPE search: trials here are cheap and
 * many, parallel workers want a batch of independent trials at a time (a rung is such a batch, while
 * TPE proposes one at a time from the ones before), and the plan is fixed by the seed, so the same
 * spec and data reproduce the choice unless the budget cuts the plan short (the report says when).
 *
 * Small data (under `CV_MAX_ROWS`) is scored by stratified k-fold cross-validation over the training
 * and validation rows together, larger data on the validation split. The pipeline then trains the
 * choice once more for the bundle: on all those rows for the epochs its folds needed (`refitEpochs`,
 * as AutoGluon's refit-full does), or — on a validation split, or when the folds were still improving
 * at the rung's last epoch — on the training split, early-stopping on the validation rows.
 */
import { FlywheelError, isFlywheelError } from '../errors';
import type { Head } from '../model/head';
import { deriveSeed } from '../model/seeds';
import { seededRandom, shuffleInPlace } from '../random';
import { baseBatchSize, batchesToProbe, candidates, fastEnoughBatch } from './space';
import type { SearchData, SearchReport, TrialConfig, TrialPool, TrialRecord, TrialResult, TrialTask } from './types';

/** Below this many rows the search cross-validates; above it, one validation split is enough and cheaper. */
export const CV_MAX_ROWS = 2000;
/** Three folds, not five: the plan's cost is proportional, and three fit a 60 s budget on one core. */
export const CV_FOLDS = 3;
/** Successive halving's reduction factor and rung count: 27 → 9 → 3 candidates. */
export const ETA = 3;
export const RUNGS = 3;
/** Share of the budget the search may use; the rest is for training the chosen model. */
export const SEARCH_SHARE = 0.75;
/** A choice whose folds peaked later than this share of their epochs was still improving: no refit. */
export const REFIT_MAX_SHARE = 0.75;
const TRIAL_SALT = 11;
const FOLD_SALT = 13;

/** Splits the rows a search may learn from into folds (stratified by class) or into train + validation. */
export function searchData(o: {
  head: Head;
  inputDim: number;
  x: Float32Array;
  y: Int32Array | Float64Array;
  rows: number;
  xVal: Float32Array;
  yVal: Int32Array | Float64Array;
  valRows: number;
  seed: number;
}): SearchData {
  const d = o.inputDim;
  const total = o.rows + o.valRows;
  if (total >= CV_MAX_ROWS && o.valRows > 0) {
    const x = new Float32Array(total * d);
    x.set(o.x.subarray(0, o.rows * d));
    x.set(o.xVal.subarray(0, o.valRows * d), o.rows * d);
    const y = o.y instanceof Int32Array ? new Int32Array(total) : new Float64Array(total);
    y.set(o.y.subarray(0, o.rows));
    y.set(o.yVal.subarray(0, o.valRows), o.rows);
    const foldOf = new Uint8Array(total).fill(1);
    foldOf.fill(0, o.rows);
    return { head: o.head, inputDim: d, x, y, rows: total, folds: 1, foldOf };
  }
  const x = new Float32Array(total * d);
  x.set(o.x.subarray(0, o.rows * d));
  x.set(o.xVal.subarray(0, o.valRows * d), o.rows * d);
  const y = o.y instanceof Int32Array ? new Int32Array(total) : new Float64Array(total);
  y.set(o.y.subarray(0, o.rows));
  y.set(o.yVal.subarray(0, o.valRows), o.rows);
  const folds = Math.max(2, Math.min(CV_FOLDS, total));
  const foldOf = new Uint8Array(total);
  const random = seededRandom(deriveSeed(o.seed, FOLD_SALT));
  // Stratified: each class's rows, shuffled, dealt round-robin, so every fold keeps the class shares.
  const groups = new Map<number, number[]>();
  for (let i = 0; i < total; i++) {
    const key = o.head.task === 'classification' ? y[i] : 0;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(i);
  }
  let next = 0;
  for (const key of [...groups.keys()].sort((a, b) => a - b)) {
    for (const i of shuffleInPlace(groups.get(key)!, random)) foldOf[i] = next++ % folds;
  }
  return { head: o.head, inputDim: d, x, y, rows: total, folds, foldOf };
}

export interface SearchOptions {
  data: SearchData;
  pool: TrialPool;
  /** Wall time for the whole model step; the search keeps `SEARCH_SHARE` of it. */
  budgetMs: number;
  seed: number;
  /** Epochs of the final training (the pipeline's `train.epochs`): the rungs train 1/27, 1/9 and 1/3 of them. */
  maxEpochs: number;
  /** Early-stopping patience at the last rung (earlier rungs scale it down). */
  patience: number;
  signal?: AbortSignal;
  onTrial?: (record: TrialRecord, done: number, planned: number) => void;
  now?: () => number;
}

/** Epochs and candidates per rung: `n / ETA^i` candidates train `maxEpochs / ETA^(RUNGS-i)` epochs. */
export function searchPlan(maxEpochs: number): { candidates: number; epochs: number }[] {
  const n0 = ETA ** (RUNGS - 1) * ETA;
  return Array.from({ length: RUNGS }, (_, i) => ({
    candidates: Math.max(1, Math.round(n0 / ETA ** i)),
    epochs: Math.max(1, Math.round(maxEpochs / ETA ** (RUNGS - i))),
  }));
}

function mean(xs: number[]): number {
  return xs.reduce((s, v) => s + v, 0) / xs.length;
}

function std(xs: number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, v) => s + (v - m) ** 2, 0) / (xs.length - 1));
}

/** Higher score first; equal scores by lower loss; then the earlier candidate (the defaults come first). */
function better(a: TrialRecord, b: TrialRecord): number {
  return b.score - a.score || a.loss - b.loss || a.trial - b.trial;
}

/** Runs the search on `pool` and reports every candidate, best first, and the choice. */
export async function searchModels(o: SearchOptions): Promise<SearchReport> {
  const now = o.now ?? (() => performance.now());
  const started = now();
  const searchMs = o.budgetMs * SEARCH_SHARE;
  const plan = searchPlan(o.maxEpochs);
  const trainRows =
    o.data.folds === 1
      ? o.data.rows - countFold(o.data, 0)
      : Math.round((o.data.rows * (o.data.folds - 1)) / o.data.folds);
  const seeds = Array.from({ length: plan[0].candidates }, (_, i) => deriveSeed(o.seed, i, TRIAL_SALT));
  const planned = plan.reduce((s, r) => s + r.candidates, 0);
  const records = new Map<number, TrialRecord>();
  let done = 0;
  let budgetReached = false;

  // The deadline aborts running tasks the way a user's cancel does; only the user's cancel is an error.
  const deadline = new AbortController();
  const onAbort = () => deadline.abort(o.signal!.reason);
  o.signal?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(
    () => {
      budgetReached = true;
      deadline.abort(new FlywheelError('cancelled', 'search budget reached'));
    },
    Math.max(0, searchMs),
  );
  await o.pool.load(o.data);
  const batchProbe = await probeBatches(o, trainRows, seeds[0], deadline.signal);
  if (o.signal?.aborted) throw cancelled(o.signal.reason);
  const baseBatch = baseBatchSize(trainRows, fastEnoughBatch(batchProbe));
  const configs = candidates(plan[0].candidates, o.seed, trainRows, baseBatch);
  let alive = configs.map((_, i) => i);
  try {
    for (let rung = 0; rung < plan.length && alive.length > 0 && !budgetReached; rung++) {
      const { epochs } = plan[rung];
      const patience = Math.max(2, Math.round((o.patience * epochs) / plan[plan.length - 1].epochs));
      const tasks: TrialTask[] = alive.flatMap((trial) =>
        Array.from({ length: o.data.folds }, (_, fold) => ({
          trial,
          fold,
          config: configs[trial],
          epochs,
          patience,
          seed: seeds[trial],
        })),
      );
      const results = new Map<number, TrialResult[]>();
      await runAll(tasks, o.pool, deadline.signal, (r) => {
        const list = results.get(r.trial) ?? [];
        list.push(r);
        results.set(r.trial, list);
        if (list.length === o.data.folds) {
          const record = toRecord(r.trial, configs[r.trial], seeds[r.trial], rung, epochs, list);
          records.set(r.trial, record);
          o.onTrial?.(record, ++done, planned);
        }
      });
      if (o.signal?.aborted) throw cancelled(o.signal.reason);
      // Candidates whose folds did not all finish keep their last complete rung, marked as cut.
      for (const trial of alive) {
        const r = records.get(trial);
        if (!results.has(trial) || results.get(trial)!.length < o.data.folds) {
          if (r) records.set(trial, { ...r, status: 'budget' });
        }
      }
      const ranked = alive
        .map((t) => records.get(t))
        .filter((r): r is TrialRecord => r !== undefined && r.rung === rung)
        .sort(better);
      if (rung === plan.length - 1 || budgetReached) break;
      const keep = Math.max(1, Math.ceil(ranked.length / ETA));
      for (const r of ranked.slice(keep)) records.set(r.trial, { ...r, status: 'dropped' });
      alive = ranked.slice(0, keep).map((r) => r.trial);
    }
  } finally {
    clearTimeout(timer);
    o.signal?.removeEventListener('abort', onAbort);
  }
  if (o.signal?.aborted) throw cancelled(o.signal.reason);
  // A candidate still in the running when the budget stopped the plan was cut, not finished.
  if (budgetReached)
    for (const [trial, r] of records)
      if (r.status === 'finished' && r.rung < plan.length - 1) records.set(trial, { ...r, status: 'budget' });
  const leaderboard = [...records.values()].sort((a, b) => b.rung - a.rung || better(a, b));
  if (leaderboard.length === 0)
    throw new FlywheelError(
      'bad_spec',
      `the model search finished no trial within its budget of ${Math.round(o.budgetMs / 1000)} s: give it a larger model.budget, or fix the model (model.type "mlp" or "linear")`,
      [{ path: 'model.budget', message: 'too small for one trial' }],
    );
  const best = leaderboard[0];
  return {
    method: 'successive-halving',
    validation: o.data.folds === 1 ? 'holdout' : 'k-fold',
    folds: o.data.folds,
    metric: o.data.head.task === 'classification' ? 'accuracy' : 'r2',
    budgetMs: o.budgetMs,
    elapsedMs: now() - started,
    budgetReached,
    workers: o.pool.size,
    seed: o.seed,
    chosen: best.config,
    chosenTrial: best.trial,
    refitEpochs: refitEpochs(o.data, best),
    batchProbe,
    baseBatch,
    leaderboard,
  };
}

/** Epochs and steps an epoch of a batch-size probe: the first epoch warms up, the others are timed. */
const PROBE_EPOCHS = 3;
const PROBE_STEPS = 8;

/**
 * Times the first default candidate on the pool at each batch size `batchesToProbe` gives for the
 * rows (PROBE_STEPS steps an epoch on the first rows of fold 0), so batch sizes follow what this
 * machine and backend do, not a constant: per-step overhead makes small batches slow on WASM, while a
 * GPU keeps getting faster up to much larger ones. Runs the sizes on all workers at once, as trials
 * run. Probes the budget cut off are left out.
 */
async function probeBatches(
  o: SearchOptions,
  trainRows: number,
  seed: number,
  signal: AbortSignal,
): Promise<{ batchSize: number; samplesPerSec: number }[]> {
  const sizes = batchesToProbe(trainRows);
  if (sizes.length === 0) return [];
  const first = candidates(1, o.seed, trainRows)[0];
  const tasks: TrialTask[] = sizes.map((batchSize, i) => ({
    trial: i,
    fold: 0,
    config: { ...first, batchSize },
    epochs: PROBE_EPOCHS,
    patience: PROBE_EPOCHS,
    seed,
    probeRows: Math.min(trainRows, PROBE_STEPS * batchSize),
  }));
  const rates = new Map<number, number>();
  await runAll(tasks, o.pool, signal, (r) => rates.set(r.trial, r.samplesPerSec));
  return sizes.flatMap((batchSize, i) => (rates.has(i) ? [{ batchSize, samplesPerSec: rates.get(i)! }] : []));
}

/**
 * How long the choice trains on all the search's rows: its folds' mean epochs to their best, when
 * cross-validation chose it and those folds stopped well before their epochs ran out (so the count
 * is what the model needs, not the rung's cap). Otherwise null: no count to trust.
 */
function refitEpochs(data: SearchData, best: TrialRecord): number | null {
  if (data.folds < 2 || best.bestEpochs > REFIT_MAX_SHARE * best.epochs) return null;
  return Math.max(1, Math.round(best.bestEpochs));
}

/** A user's cancel as the `cancelled` error, whatever reason the signal was aborted with. */
function cancelled(reason: unknown): FlywheelError {
  return isFlywheelError(reason) && reason.code === 'cancelled'
    ? reason
    : new FlywheelError('cancelled', 'model search cancelled');
}

function countFold(data: SearchData, fold: number): number {
  let n = 0;
  for (let i = 0; i < data.rows; i++) if (data.foldOf[i] === fold) n++;
  return n;
}

function toRecord(
  trial: number,
  config: TrialConfig,
  seed: number,
  rung: number,
  epochs: number,
  arrived: TrialResult[],
): TrialRecord {
  // Folds finish in any order on a parallel pool; summing in fold order keeps the record (and so the
  // ranking) bit-identical whatever the pool's size or timing.
  const results = [...arrived].sort((a, b) => a.fold - b.fold);
  const scores = results.map((r) => r.score);
  return {
    trial,
    config,
    seed,
    rung,
    epochs,
    score: mean(scores),
    spread: std(scores),
    loss: mean(results.map((r) => r.loss)),
    bestEpochs: mean(results.map((r) => r.bestEpoch + 1)),
    ms: results.reduce((s, r) => s + r.ms, 0),
    backend: results[0].backend,
    status: 'finished',
  };
}

/**
 * Runs `tasks` on the pool, at most `pool.size` at once, in order; resolves when all settled. Tasks
 * cancelled by `signal` are skipped silently; any other failure rejects (after the running ones settle).
 */
async function runAll(
  tasks: TrialTask[],
  pool: TrialPool,
  signal: AbortSignal,
  onResult: (r: TrialResult) => void,
): Promise<void> {
  let next = 0;
  let failure: unknown = null;
  const lane = async () => {
    while (next < tasks.length && !signal.aborted && failure === null) {
      const task = tasks[next++];
      try {
        onResult(await pool.run(task, signal));
      } catch (e) {
        if (signal.aborted && isFlywheelError(e) && e.code === 'cancelled') return;
        if (signal.aborted) return;
        failure ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, pool.size) }, lane));
  if (failure !== null) throw failure;
}
