/**
 * One pass over the training split: a seeded shuffle, then mini-batches, each one forward and
 * backward pass (backprop.ts) and one optimiser step on the flat parameters (flat-params.ts).
 * Per-batch losses and metrics stay on the device and are read back once at the end (summed in JS),
 * so a GPU backend never stalls on a per-step download.
 */
import * as tf from '@tensorflow/tfjs-core';
import { FlywheelError } from '../errors';
import { shuffleInPlace, type Random } from '../random';
import { stepTerms } from './backprop';
import type { DeviceSplit } from './device-split';
import type { FlatParams } from './flat-params';
import type { TrainableNet } from './forward';
import type { Head } from './head';
import type { BatchProgress } from './train-types';
import { yieldToEventLoop } from './yield';

export interface EpochContext {
  readonly net: TrainableNet;
  readonly head: Head;
  readonly split: DeviceSplit;
  readonly optimizer: tf.Optimizer;
  /** The net's variables as the optimiser updates them. */
  readonly params: FlatParams;
  /** Row order, reshuffled in place each epoch. */
  readonly order: Int32Array;
  readonly batchSize: number;
  readonly shuffleRandom: Random;
  /** Draws each step's Dropout seeds. */
  readonly dropoutRandom: Random;
  readonly yieldEvery: number;
  readonly signal?: AbortSignal;
  readonly onBatch?: (progress: BatchProgress) => void;
}

export interface EpochSums {
  /** Mean objective per row. */
  readonly loss: number;
  /** Mean metric per row (accuracy, or MAE in target units). */
  readonly metric: number;
}

/** Throws the `cancelled` error when `signal` has fired. */
export function throwIfAborted(signal: AbortSignal | undefined, where: string): void {
  if (signal?.aborted) throw new FlywheelError('cancelled', `training cancelled ${where}`);
}

/** Trains one epoch and returns its mean loss and metric. */
export async function runEpoch(ctx: EpochContext, epoch: number): Promise<EpochSums> {
  const { net, head, split, optimizer, params, order, batchSize } = ctx;
  shuffleInPlace(order, ctx.shuffleRandom);
  const batches = Math.ceil(split.rows / batchSize);
  const perBatch: tf.Scalar[] = [];
  try {
    for (let b = 0; b < batches; b++) {
      throwIfAborted(ctx.signal, `at epoch ${epoch}, batch ${b}`);
      const start = b * batchSize;
      const size = Math.min(batchSize, split.rows - start);
      const seeds = Array.from({ length: net.dropoutCount }, () => Math.floor(ctx.dropoutRandom() * 0x7fffffff) + 1);
      perBatch.push(
        ...tf.tidy(() => {
          const terms = stepTerms(net, split.gather(order.subarray(start, start + size)), head, seeds);
          params.step(optimizer, terms.grads);
          return [terms.cost, terms.metricSum];
        }),
      );
      if ((b + 1) % ctx.yieldEvery === 0 && b + 1 < batches) {
        ctx.onBatch?.({ epoch, batch: b + 1, batchesPerEpoch: batches });
        await yieldToEventLoop();
      }
    }
    const stacked = tf.stack(perBatch);
    const values = await stacked.data();
    stacked.dispose();
    let lossSum = 0;
    let metricSum = 0;
    for (let b = 0; b < batches; b++) {
      // Batch losses are batch means; weigh each by its row count (the last batch may be short).
      lossSum += values[2 * b] * Math.min(batchSize, split.rows - b * batchSize);
      metricSum += values[2 * b + 1];
    }
    ctx.onBatch?.({ epoch, batch: batches, batchesPerEpoch: batches });
    return { loss: lossSum / split.rows, metric: metricSum / split.rows };
  } finally {
    tf.dispose(perBatch);
  }
}
