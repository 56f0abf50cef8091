/**
 * Loss and metric of a whole split in inference mode (Dropout off), in chunks so a large validation
 * split never materialises one huge activation tensor. The loss is unweighted (class weights shape
 * training only) plus the regularisation penalty, as Keras reports `val_loss`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { DeviceSplit } from './device-split';
import { forward, penalty, type TrainableNet } from './forward';
import type { Head } from './head';
import { batchTerms } from './objective';

/** Rows per evaluation chunk: large enough to amortise per-op overhead, small enough for any GPU. */
const EVAL_CHUNK_ROWS = 4096;

export interface SplitScore {
  /** Mean loss per row, plus the penalty. */
  readonly loss: number;
  /** Accuracy (classification) or MAE in the target's units (regression). */
  readonly metric: number;
}

/** Scores `split` with the net's current weights; reads back from the device once. */
export async function evaluateSplit(net: TrainableNet, split: DeviceSplit, head: Head): Promise<SplitScore> {
  const parts: tf.Tensor1D[] = [];
  try {
    for (let start = 0; start < split.rows; start += EVAL_CHUNK_ROWS) {
      const size = Math.min(EVAL_CHUNK_ROWS, split.rows - start);
      parts.push(
        tf.tidy(() => {
          const chunk = split.chunk(start, size);
          const terms = batchTerms(forward(net, chunk.x, null), chunk, head, false);
          return tf.stack([tf.mul(terms.loss, size), terms.metricSum]) as tf.Tensor1D;
        }),
      );
    }
    const totals = tf.tidy(() => tf.concat([tf.sum(tf.stack(parts), 0), tf.reshape(penalty(net), [1])]));
    const [lossSum, metricSum, pen] = await totals.data();
    totals.dispose();
    return { loss: lossSum / split.rows + pen, metric: metricSum / split.rows };
  } finally {
    tf.dispose(parts);
  }
}
