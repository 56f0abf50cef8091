/**
 * What one batch contributes: the loss the optimiser minimises (mean over the batch, per-row weighted
 * as Keras's `class_weight`) and a metric summed over rows so epochs average it exactly whatever the
 * batch sizes: correct predictions (accuracy) or absolute error in the target's own units (MAE).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { SplitTensors } from './device-split';
import type { Head } from './head';

export interface BatchTerms {
  readonly loss: tf.Scalar;
  readonly metricSum: tf.Scalar;
}

/**
 * Loss and metric of `out` (logits for classification, standardised predictions for regression)
 * against `batch`: categorical cross-entropy via log-sum-exp, or MSE on the standardised target.
 */
export function batchTerms(out: tf.Tensor2D, batch: SplitTensors, head: Head, weighted: boolean): BatchTerms {
  if (head.task === 'classification') {
    let perRow: tf.Tensor1D = tf.sub(tf.logSumExp(out, 1), tf.sum(tf.mul(batch.target, out), 1));
    if (weighted && batch.weights) perRow = tf.mul(perRow, batch.weights);
    const correct = tf.equal(tf.argMax(out, 1), batch.labels as tf.Tensor1D);
    return { loss: tf.mean(perRow), metricSum: tf.sum(tf.cast(correct, 'float32')) };
  }
  const diff = tf.sub(out, batch.target);
  return { loss: tf.mean(tf.square(diff)), metricSum: tf.mul(tf.sum(tf.abs(diff)), head.targetStd) };
}
