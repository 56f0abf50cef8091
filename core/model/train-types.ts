/** What goes into and comes out of `trainModel`, declared once for the pipeline, workers and UI. */
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Head } from './head';
import type { TrainSpec } from './spec';

/** One epoch's figures; keys follow Keras's History so charts and trackers read familiar names. */
export interface EpochMetrics {
  /** 0-based. */
  epoch: number;
  /** Mean training objective over the epoch's batches (class-weighted, with dropout and penalty). */
  loss: number;
  val_loss?: number;
  accuracy?: number;
  val_accuracy?: number;
  /** Mean absolute error in the target's own units. */
  mae?: number;
  val_mae?: number;
  /** Milliseconds since training started. */
  elapsedMs: number;
  /** Training throughput of this epoch (rows / time spent on its batches); 0 when no time passed. */
  samplesPerSec: number;
}

export interface BatchProgress {
  epoch: number;
  /** Batches of this epoch done so far (1-based count). */
  batch: number;
  batchesPerEpoch: number;
}

export interface TrainOptions {
  /** Trained in place; the caller still owns it and disposes it, also when training throws. */
  model: tfl.Sequential;
  head: Head;
  /** Row-major features, `rows × inputDim`, already transformed. */
  x: Float32Array;
  /** Class indices into `head.labels`, or regression targets in their own units. */
  y: Int32Array | Float64Array;
  rows: number;
  xVal?: Float32Array;
  yVal?: Int32Array | Float64Array;
  /** 0 or absent: no validation (early stopping on val_loss then watches loss, with a warning). */
  valRows?: number;
  spec: TrainSpec;
  /** Aborting stops before the next batch and rejects with a `cancelled` FlywheelError. */
  signal?: AbortSignal;
  /** Awaited, so a slow consumer applies back-pressure instead of queueing epochs. */
  onEpoch?: (metrics: EpochMetrics) => void | Promise<void>;
  /** Called every `yieldEvery` batches, just before the loop yields to the event loop. */
  onBatch?: (progress: BatchProgress) => void;
  /** Batches between progress reports and yields (the loop also yields after every epoch). */
  yieldEvery?: number;
  /**
   * A time on the `now` clock by which training ends: an epoch starts only if it should end by then,
   * judged by the one before (the first always runs); training then stops as early stopping does
   * (best weights kept) and says so in a warning. Model search uses it to keep within its budget.
   */
  stopAt?: number;
  /** Milliseconds clock (default `performance.now`); tests inject one for reproducible histories. */
  now?: () => number;
}

export interface TrainResult {
  /** The same model, holding the best epoch's weights when early stopping was on, else the last. */
  model: tfl.Sequential;
  history: EpochMetrics[];
  /** Epoch whose weights the model holds. */
  bestEpoch: number;
  stoppedEarly: boolean;
  /** The `stopAt` deadline ended training, before its epochs or early stopping did. */
  outOfTime: boolean;
  epochsRun: number;
  /** Rows trained per second over the whole run. */
  samplesPerSec: number;
  /** Things that did not stop training but that a user should know. */
  warnings: string[];
}
