/**
 * One training step's loss, metric and gradients, computed in a single forward and backward pass
 * written out for the nets the loop trains (Dense layers with Dropout, then cross-entropy on logits
 * or MSE). tfjs's autodiff (`optimizer.minimize`) gives the same gradients (backprop.test.ts checks
 * it on every activation, Dropout, class weights and both penalties), but on the WASM backend it is
 * most of what made a step slow: the tape copies every tensor it saves for the backward pass (the
 * Identity kernel is a memcpy there; 34 of them per step on a 20-64-32-3 MLP), the fused Dense
 * unfuses under the tape, and the backward matmuls are transposed, which tfjs-backend-wasm runs in a
 * naive loop instead of XNNPACK. Here nothing is taped, ReLU stays fused, and every matmul on WASM
 * is untransposed. With flat-params.ts and host-side batches, a step of that MLP at batch 256 went
 * from ~4.0 to ~1.1 ms of CPU (bench/train).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { SplitTensors } from './device-split';
import { dense, dropoutMask, penalty, type DenseActivation, type TrainableNet } from './forward';
import type { Head } from './head';

export interface StepTerms {
  /** Mean (class-weighted) loss over the batch plus the penalty: what the optimiser minimises. */
  readonly cost: tf.Scalar;
  /** The metric summed over the batch's rows (correct predictions, or absolute error in target units). */
  readonly metricSum: tf.Scalar;
  /** d cost / d variable, aligned with `net.variables`. */
  readonly grads: tf.Tensor[];
}

/**
 * Loss, metric and gradients of one batch in training mode (`dropoutSeeds`, one per Dropout layer).
 * Call inside `tf.tidy`.
 */
export function stepTerms(
  net: TrainableNet,
  batch: SplitTensors,
  head: Head,
  dropoutSeeds: readonly number[],
): StepTerms {
  const rows = batch.x.shape[0];
  const inputs: tf.Tensor2D[] = [];
  const outputs: tf.Tensor2D[] = [];
  const masks: (tf.Tensor2D | null)[] = [];
  let h = batch.x;
  for (const layer of net.layers) {
    inputs.push(h);
    h = dense(layer, h);
    outputs.push(h);
    const mask = layer.dropout > 0 ? dropoutMask(h, layer.dropout, dropoutSeeds[layer.dropoutIndex]) : null;
    masks.push(mask);
    if (mask) h = tf.mul(h, mask);
  }
  const { loss, metricSum, dOut } =
    head.task === 'classification' ? crossEntropy(h, batch, rows) : meanSquared(h, batch, rows, head.targetStd);
  const grads: tf.Tensor[] = [];
  let dy = dOut;
  for (let i = net.layers.length - 1; i >= 0; i--) {
    const layer = net.layers[i];
    const mask = masks[i];
    if (mask) dy = tf.mul(dy, mask);
    const dz = activationGrad(dy, outputs[i], layer.activation);
    let dKernel: tf.Tensor = kernelGradient(inputs[i], dz);
    if (layer.l2 > 0) dKernel = tf.add(dKernel, tf.mul(layer.kernel, 2 * layer.l2));
    if (layer.l1 > 0) dKernel = tf.add(dKernel, tf.mul(tf.sign(layer.kernel), layer.l1));
    grads.unshift(...(layer.bias ? [dKernel, tf.sum(dz, 0)] : [dKernel]));
    if (i > 0) dy = inputGradient(dz, layer.kernel as tf.Tensor2D);
  }
  return { cost: net.penalised ? tf.add(loss, penalty(net)) : loss, metricSum, grads };
}

interface LossTerms {
  readonly loss: tf.Scalar;
  readonly metricSum: tf.Scalar;
  /** d loss / d output. */
  readonly dOut: tf.Tensor2D;
}

/** Mean (per-row weighted) categorical cross-entropy of logits `z`, accuracy, and softmax − one-hot. */
function crossEntropy(z: tf.Tensor2D, batch: SplitTensors, rows: number): LossTerms {
  const logProba = tf.sub(z, tf.logSumExp(z, 1, true));
  let perRow: tf.Tensor = tf.neg(tf.sum(tf.mul(batch.target, logProba), 1));
  let dOut = tf.sub(tf.exp(logProba), batch.target);
  if (batch.weights) {
    perRow = tf.mul(perRow, batch.weights);
    dOut = tf.mul(dOut, tf.reshape(batch.weights, [rows, 1]));
  }
  const correct = tf.equal(tf.argMax(z, 1), batch.labels as tf.Tensor1D);
  return { loss: tf.mean(perRow), metricSum: tf.sum(tf.cast(correct, 'float32')), dOut: tf.div(dOut, rows) };
}

/** MSE of the standardised prediction `out`, the absolute error in target units, and 2(out − t)/n. */
function meanSquared(out: tf.Tensor2D, batch: SplitTensors, rows: number, targetStd: number): LossTerms {
  const diff = tf.sub(out, batch.target);
  return {
    loss: tf.mean(tf.square(diff)),
    metricSum: tf.mul(tf.sum(tf.abs(diff)), targetStd),
    dOut: tf.mul(diff, 2 / rows),
  };
}

/** d loss / d pre-activation from d loss / d output `dy` and the output `y` itself. */
function activationGrad(dy: tf.Tensor2D, y: tf.Tensor2D, activation: DenseActivation): tf.Tensor2D {
  switch (activation) {
    case 'linear':
      return dy;
    case 'relu':
      return tf.mul(dy, tf.step(y));
    case 'tanh':
      return tf.mul(dy, tf.sub(1, tf.square(y)));
    case 'sigmoid':
      return tf.mul(dy, tf.mul(y, tf.sub(1, y)));
    case 'elu':
      // y = exp(z) − 1 below 0, whose derivative exp(z) is y + 1.
      return tf.where(tf.greater(y, 0), dy, tf.mul(dy, tf.add(y, 1))) as tf.Tensor2D;
    case 'selu':
      // y = λα(exp(z) − 1) below 0, whose derivative λα·exp(z) is y + λα; λ above.
      return tf.where(
        tf.greater(y, 0),
        tf.mul(dy, tf.backend_util.SELU_SCALE),
        tf.mul(dy, tf.add(y, tf.backend_util.SELU_SCALEALPHA)),
      ) as tf.Tensor2D;
  }
}

/*
 * The backward matmuls. tfjs-backend-wasm 4.22 hands only an untransposed matmul to XNNPACK and runs
 * a transposed one in a naive scalar loop (`slow_batch_matmul`), 2–7× slower at these sizes, so on
 * WASM the operand is transposed first. Its Transpose kernel is slow on wide power-of-two rows (a
 * [256, 64] activation costs ~10× a [256, 32] one), so the kernel gradient transposes the narrower of
 * its two operands. Other backends take the transpose flags.
 */

/** d cost / d kernel = xᵀ·dz. */
function kernelGradient(x: tf.Tensor2D, dz: tf.Tensor2D): tf.Tensor2D {
  if (tf.getBackend() !== 'wasm') return tf.matMul(x, dz, true, false);
  if (dz.shape[1] < x.shape[1]) return tf.transpose(tf.matMul(tf.transpose(dz), x)) as tf.Tensor2D;
  return tf.matMul(tf.transpose(x), dz);
}

/** d cost / d layer input = dz·Wᵀ. */
function inputGradient(dz: tf.Tensor2D, kernel: tf.Tensor2D): tf.Tensor2D {
  if (tf.getBackend() !== 'wasm') return tf.matMul(dz, kernel, false, true);
  return tf.matMul(dz, tf.transpose(kernel));
}
