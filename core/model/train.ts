/**
 * The seeded training loop. Not `model.fit`: fit shuffles with Math.random and reuses one Dropout
 * mask, so it cannot reproduce a run; this loop shuffles and drops out from the spec's seed, stops
 * early on the chosen metric and restores the best weights, reports progress, yields to the event loop
 * and can be cancelled between any two batches.
 */
import * as tf from '@tensorflow/tfjs-core';
import { FlywheelError } from '../errors';
import { seededRandom } from '../random';
import { uploadSplit, type DeviceSplit } from './device-split';
import { INITIAL_STOPPER, stepStopper } from './early-stopping';
import { evaluateSplit } from './evaluate-split';
import { flatParams, type FlatParams } from './flat-params';
import { makeOptimizer } from './optimizer';
import { prepareTraining } from './prepare-training';
import { runEpoch, throwIfAborted, type EpochContext } from './run-epoch';
import { deriveSeed } from './seeds';
import type { EpochMetrics, TrainOptions, TrainResult } from './train-types';
import { yieldToEventLoop } from './yield';

/** Batches between progress reports and yields: a few ms of work on a small MLP, so abort is prompt. */
const YIELD_EVERY_BATCHES = 16;
/** Salts that give the shuffle and the Dropout masks their own streams from the train seed. */
const SHUFFLE_SALT = 101;
const DROPOUT_SALT = 102;

/**
 * Trains `options.model` in place and resolves with it and the per-epoch history. The same inputs and
 * seed give the same weights and history (timings aside) on a given backend. Throws a FlywheelError
 * for bad input (naming the row and column), `cancelled` when `signal` fires. Whatever happens, every
 * tensor the loop made (optimiser slots, uploaded data, best-weight snapshots) is disposed; the model
 * stays the caller's to dispose, on success and on failure alike.
 */
export async function trainModel(options: TrainOptions): Promise<TrainResult> {
  const { model, head, spec, signal } = options;
  const now = options.now ?? (() => performance.now());
  const plan = prepareTraining(options);
  const yieldEvery = options.yieldEvery ?? YIELD_EVERY_BATCHES;
  if (!Number.isInteger(yieldEvery) || yieldEvery < 1)
    throw new FlywheelError('bad_input', `yieldEvery must be a positive integer, got ${yieldEvery}`);
  let trainSplit: DeviceSplit | null = null;
  let valSplit: DeviceSplit | null = null;
  const optimizer = makeOptimizer(spec);
  let best: tf.Tensor[] | null = null;
  let params: FlatParams | null = null;
  try {
    params = flatParams(plan.net.variables);
    trainSplit = uploadSplit(options.x, options.y, options.rows, plan.inputDim, head, plan.rowWeights);
    if (plan.valRows > 0)
      valSplit = uploadSplit(
        options.xVal as Float32Array,
        options.yVal as ArrayLike<number>,
        plan.valRows,
        plan.inputDim,
        head,
        null,
      );
    const ctx: EpochContext = {
      net: plan.net,
      head,
      split: trainSplit,
      optimizer,
      params,
      yieldEvery,
      signal,
      onBatch: options.onBatch,
      order: Int32Array.from({ length: options.rows }, (_, i) => i),
      batchSize: Math.min(spec.batchSize, options.rows),
      shuffleRandom: seededRandom(deriveSeed(spec.seed, SHUFFLE_SALT)),
      dropoutRandom: seededRandom(deriveSeed(spec.seed, DROPOUT_SALT)),
    };
    const metricName = head.task === 'classification' ? 'accuracy' : 'mae';
    const history: EpochMetrics[] = [];
    const warnings = [...plan.warnings];
    let stopper = INITIAL_STOPPER;
    let stoppedEarly = false;
    let outOfTime = false;
    let trainMs = 0;
    const t0 = now();
    for (let epoch = 0; epoch < spec.epochs && !stoppedEarly; epoch++) {
      const tEpoch = now();
      const sums = await runEpoch(ctx, epoch);
      const epochMs = now() - tEpoch;
      trainMs += epochMs;
      throwIfAborted(signal, `after epoch ${epoch}`);
      const score = valSplit ? await evaluateSplit(plan.net, valSplit, head) : null;
      const metrics: EpochMetrics = {
        epoch,
        loss: sums.loss,
        [metricName]: sums.metric,
        ...(score ? { val_loss: score.loss, [`val_${metricName}`]: score.metric } : {}),
        elapsedMs: now() - t0,
        samplesPerSec: epochMs > 0 ? (options.rows * 1000) / epochMs : 0,
      };
      history.push(metrics);
      if (spec.earlyStopping && plan.monitor) {
        const step = stepStopper(stopper, epoch, metrics[plan.monitor] as number, spec.earlyStopping);
        stopper = step.state;
        stoppedEarly = step.stop;
        if (step.improved) {
          tf.dispose(best ?? []);
          best = model.getWeights().map((w) => tf.clone(w));
        }
      }
      if (!Number.isFinite(sums.loss)) {
        warnings.push(`training diverged at epoch ${epoch} (loss ${sums.loss}): try a lower learningRate`);
        if (!best)
          throw new FlywheelError(
            'bad_spec',
            `training diverged at epoch ${epoch} (loss ${sums.loss}) with no earlier weights to fall back on: lower train.learningRate`,
          );
        stoppedEarly = true;
      }
      await options.onEpoch?.(metrics);
      await yieldToEventLoop();
      throwIfAborted(signal, `after epoch ${epoch}`);
      // The next epoch starts only if it should end by stopAt, judged by this one (evaluation included).
      const end = now();
      if (
        !stoppedEarly &&
        options.stopAt !== undefined &&
        epoch + 1 < spec.epochs &&
        end + (end - tEpoch) > options.stopAt
      ) {
        warnings.push(`stopped after ${epoch + 1} of ${spec.epochs} epochs: the time budget was spent`);
        stoppedEarly = true;
        outOfTime = true;
      }
    }
    if (best) model.setWeights(best);
    return {
      model,
      history,
      bestEpoch: best ? stopper.bestEpoch : history.length - 1,
      stoppedEarly,
      outOfTime,
      epochsRun: history.length,
      samplesPerSec: trainMs > 0 ? (options.rows * history.length * 1000) / trainMs : 0,
      warnings,
    };
  } finally {
    tf.dispose(best ?? []);
    optimizer.dispose();
    params?.dispose();
    trainSplit?.dispose();
    valSplit?.dispose();
  }
}
