/**
 * The model search's contract, shared by the search (core), its pools (in-process, Node
 * worker_threads, browser web workers) and whoever shows its results (CLI, notebook, run page).
 *
 * A search scores candidate configurations by training them on folds of the training data. The unit
 * a pool runs is one `TrialTask` — one configuration on one fold for a number of epochs — so the
 * work of a rung spreads over the pool whatever the number of folds. The data goes to each worker
 * once (`SearchData`); tasks only name a fold.
 */
import type { Head } from '../model/head';
import type { FixedModelSpec } from '../model/spec';

/** What a candidate sets: the model and the training knobs the search tunes. */
export interface TrialConfig {
  model: FixedModelSpec;
  learningRate: number;
  batchSize: number;
}

/** The rows a search may learn from, already transformed; sent to every worker once. */
export interface SearchData {
  head: Head;
  inputDim: number;
  /** Row-major `rows × inputDim`. */
  x: Float32Array;
  /** Class indices, or regression targets in their own units. */
  y: Int32Array | Float64Array;
  rows: number;
  /** Number of folds scored: 3 for k-fold cross-validation, 1 for a validation split. */
  folds: number;
  /** Per row, the fold it validates (0 … folds-1); `folds` means "always trains, never validates". */
  foldOf: Uint8Array;
}

/** One configuration trained on one fold: what a pool runs. */
export interface TrialTask {
  /** The candidate's number in the search (its leaderboard row). */
  trial: number;
  fold: number;
  config: TrialConfig;
  /** Most epochs; early stopping on the fold's validation rows may stop sooner. */
  epochs: number;
  /** Early-stopping patience in epochs. */
  patience: number;
  /** Seeds the model's initialisation, shuffles and dropout. */
  seed: number;
  /**
   * A batch-size probe: train on only the fold's first `probeRows` training rows (and validate on as
   * many); the search reads the result's `samplesPerSec`, not its score.
   */
  probeRows?: number;
}

/** What one task measured, on the fold's validation rows. */
export interface TrialResult {
  trial: number;
  fold: number;
  /** Higher is better: accuracy for classification, R² for regression. */
  score: number;
  /** Lower is better: validation log loss, or mean squared error in the target's units. */
  loss: number;
  epochsRun: number;
  bestEpoch: number;
  ms: number;
  /** Training rows per second: the fastest epoch after the first (which carries warm-up); 0 if none ran. */
  samplesPerSec: number;
  /** The tfjs backend the task trained on. */
  backend: string;
}

/** A leaderboard row: one candidate at the furthest rung it reached. */
export interface TrialRecord {
  trial: number;
  config: TrialConfig;
  seed: number;
  /** Successive-halving rung reached (0 = first). */
  rung: number;
  epochs: number;
  /** Mean of the folds' scores at that rung, and their standard deviation. */
  score: number;
  spread: number;
  loss: number;
  /** Mean over folds of the epochs to the best validation loss (where early stopping kept the weights). */
  bestEpochs: number;
  /** Summed training time of its tasks at that rung. */
  ms: number;
  backend: string;
  /** Why it stopped: promoted past the last rung (`finished`), dropped at a rung, or cut by the budget. */
  status: 'finished' | 'dropped' | 'budget';
}

/** A search's outcome: recorded in the lineage and report, so the same spec and data reproduce it. */
export interface SearchReport {
  method: 'successive-halving';
  /** `k-fold` below the cross-validation threshold, `holdout` (the validation split) above. */
  validation: 'k-fold' | 'holdout';
  folds: number;
  metric: 'accuracy' | 'r2';
  budgetMs: number;
  elapsedMs: number;
  /** True when the budget cut the plan short (the choice then depends on the machine's speed). */
  budgetReached: boolean;
  workers: number;
  seed: number;
  /** The winning configuration, trained again on the whole training split for the bundle. */
  chosen: TrialConfig;
  chosenTrial: number;
  /**
   * Epochs the choice trains for on every row the search learned from (training and validation
   * together), as many as its folds needed to reach their best: k-fold searches whose choice stopped
   * early. Null otherwise (a validation split, or a choice still improving when its epochs ran out):
   * the final training then early-stops on the validation rows.
   */
  refitEpochs: number | null;
  /**
   * Training rows per second of the first default candidate at each batch size the rows could take,
   * timed before the first rung; the smallest batch size within `FAST_ENOUGH_SHARE` of the fastest
   * caps the candidates' base batch size (space.ts). Empty when the rows alone decide (small data).
   */
  batchProbe: { batchSize: number; samplesPerSec: number }[];
  /** The base batch size the candidates' batch sizes are multiples of. */
  baseBatch: number;
  /** Every candidate, best first. */
  leaderboard: TrialRecord[];
}

/**
 * Runs trial tasks, possibly many at once. The search calls `load` once, then `run` for each task
 * (concurrently, up to `size`), then nothing more: the pool's owner disposes it. Aborting `signal`
 * stops the running tasks before their next batch; their promises reject with a `cancelled` error.
 */
export interface TrialPool {
  /** How many tasks it runs at once. */
  readonly size: number;
  load(data: SearchData): Promise<void>;
  run(task: TrialTask, signal?: AbortSignal): Promise<TrialResult>;
}
