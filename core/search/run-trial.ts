/**
 * One trial task: a candidate configuration trained on one fold's training rows, early-stopped and
 * scored on that fold's validation rows. The same function runs in every pool (in-process, Node
 * worker_threads, browser web workers), so a trial scores the same wherever it runs (on one backend).
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { FlywheelError, isFlywheelError } from '../errors';
import { buildModel } from '../model/build-model';
import { encodeInputBins, fitInputBins } from '../model/input-bins';
import { decodeOutputs, type Head } from '../model/head';
import type { TrainSpec } from '../model/spec';
import { trainModel } from '../model/train';
import type { EpochMetrics } from '../model/train-types';
import type { SearchData, TrialResult, TrialTask } from './types';

/** Probabilities are clipped here before the log, as scikit-learn's log_loss does for float32. */
const PROBA_EPS = 1e-7;

/** The rows of `data` that train (`fold` ≠ theirs) and validate (`fold` = theirs) in fold `fold`. */
export function foldRows(data: SearchData, fold: number): { train: Int32Array; validation: Int32Array } {
  let nVal = 0;
  for (let i = 0; i < data.rows; i++) if (data.foldOf[i] === fold) nVal++;
  const train = new Int32Array(data.rows - nVal);
  const validation = new Int32Array(nVal);
  let t = 0;
  let v = 0;
  for (let i = 0; i < data.rows; i++) {
    if (data.foldOf[i] === fold) validation[v++] = i;
    else train[t++] = i;
  }
  return { train, validation };
}

function gather(data: SearchData, rows: Int32Array): { x: Float32Array; y: Int32Array | Float64Array } {
  const d = data.inputDim;
  const x = new Float32Array(rows.length * d);
  const y = data.y instanceof Int32Array ? new Int32Array(rows.length) : new Float64Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    x.set(data.x.subarray(i * d, (i + 1) * d), r * d);
    y[r] = data.y[i];
  }
  return { x, y };
}

/** The training spec a task trains with: the pipeline's defaults, the candidate's knobs, the task's epochs. */
export function trialTrainSpec(task: TrialTask): TrainSpec {
  return {
    epochs: task.epochs,
    batchSize: task.config.batchSize,
    optimizer: 'adam',
    learningRate: task.config.learningRate,
    earlyStopping: { patience: task.patience, metric: 'val_loss', minDelta: 0 },
    seed: task.seed,
    classWeights: 'none',
    backend: 'auto',
  };
}

/**
 * Trains and scores `task` on the current tfjs backend. Throws `cancelled` when `signal` aborts
 * (before the next batch); disposes every tensor it made, also on failure.
 */
export async function runTrialTask(data: SearchData, task: TrialTask, signal?: AbortSignal): Promise<TrialResult> {
  if (task.fold < 0 || task.fold >= data.folds)
    throw new FlywheelError('bad_input', `trial ${task.trial}: fold ${task.fold} is not one of 0…${data.folds - 1}`);
  const t0 = performance.now();
  const rows = foldRows(data, task.fold);
  const limit = task.probeRows ?? Infinity;
  const train = rows.train.length > limit ? rows.train.subarray(0, limit) : rows.train;
  const validation = rows.validation.length > limit ? rows.validation.subarray(0, limit) : rows.validation;
  let tr = gather(data, train);
  let va = gather(data, validation);
  let inputDim = data.inputDim;
  const binCount = task.config.model.bins;
  if (binCount !== undefined) {
    const bins = fitInputBins(tr.x, train.length, inputDim, binCount);
    tr = { ...tr, x: encodeInputBins(bins, tr.x, train.length) };
    va = { ...va, x: encodeInputBins(bins, va.x, validation.length) };
    inputDim = bins.units;
  }
  const model = buildModel(task.config.model, inputDim, data.head, task.seed);
  try {
    const result = await trainModel({
      model,
      head: data.head,
      x: tr.x,
      y: tr.y,
      rows: train.length,
      xVal: va.x,
      yVal: va.y,
      valRows: validation.length,
      spec: trialTrainSpec(task),
      signal,
    }).catch((e: unknown) => {
      // A candidate that diverges before its first good epoch loses; the search goes on.
      if (isFlywheelError(e) && e.code === 'bad_spec') return null;
      throw e;
    });
    if (!result)
      return {
        trial: task.trial,
        fold: task.fold,
        score: data.head.task === 'classification' ? 0 : -1,
        loss: Number.MAX_VALUE,
        epochsRun: 0,
        bestEpoch: 0,
        ms: performance.now() - t0,
        samplesPerSec: 0,
        backend: tf.getBackend(),
      };
    const { score, loss } = await scoreModel(model, data.head, va.x, va.y, validation.length, inputDim);
    return {
      trial: task.trial,
      fold: task.fold,
      score,
      loss,
      epochsRun: result.epochsRun,
      bestEpoch: result.bestEpoch,
      ms: performance.now() - t0,
      samplesPerSec: trainingRate(result.history),
      backend: tf.getBackend(),
    };
  } finally {
    model.dispose();
  }
}

/** The fastest epoch's rows per second after the first (whose figure carries warm-up), or the first's if alone. */
function trainingRate(history: readonly EpochMetrics[]): number {
  const warm = history.length > 1 ? history.slice(1) : history;
  return warm.reduce((best, e) => Math.max(best, e.samplesPerSec), 0);
}

/** `scoreOutputs` of `model`'s predictions for `rows` rows of `x` (width `inputDim`). */
export async function scoreModel(
  model: tfl.LayersModel,
  head: Head,
  x: Float32Array,
  y: Int32Array | Float64Array,
  rows: number,
  inputDim: number,
): Promise<{ score: number; loss: number }> {
  const out = tf.tidy(() => model.predict(tf.tensor2d(x, [rows, inputDim])) as tf.Tensor);
  try {
    return scoreOutputs({ head }, (await out.data()) as Float32Array, y, rows);
  } finally {
    out.dispose();
  }
}

/** Accuracy and log loss, or R² and mean squared error, of raw outputs against `y`. */
export function scoreOutputs(
  data: Pick<SearchData, 'head'>,
  raw: Float32Array,
  y: Int32Array | Float64Array,
  rows: number,
): { score: number; loss: number } {
  if (rows === 0) return { score: NaN, loss: NaN };
  const head = data.head;
  if (head.task === 'classification') {
    const out = decodeOutputs(raw, rows, head);
    const k = head.labels.length;
    let hits = 0;
    let loss = 0;
    for (let i = 0; i < rows; i++) {
      if (out.labelIndex[i] === y[i]) hits++;
      const p = out.proba[i * k + y[i]];
      loss -= Math.log(Math.min(1 - PROBA_EPS, Math.max(PROBA_EPS, Number.isFinite(p) ? p : 0)));
    }
    return { score: hits / rows, loss: loss / rows };
  }
  const out = decodeOutputs(raw, rows, head);
  let mean = 0;
  for (let i = 0; i < rows; i++) mean += y[i];
  mean /= rows;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < rows; i++) {
    const e = y[i] - out.values[i];
    ssRes += Number.isFinite(e) ? e * e : Infinity;
    ssTot += (y[i] - mean) ** 2;
  }
  const score = ssTot > 0 ? 1 - ssRes / ssTot : ssRes === 0 ? 1 : 0;
  return { score: Number.isFinite(score) ? score : -Infinity, loss: ssRes / rows };
}
