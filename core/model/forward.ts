/**
 * The network the training loop runs, read off the Sequential once: each Dense layer's variables,
 * activation, the Dropout rate after it and its Keras penalty factors. The loop computes with these
 * variables directly instead of calling `model.apply`, for three reasons: classification stops
 * before the final softmax so the loss works on logits (log-sum-exp, no log(0)); Dropout draws a
 * fresh seeded mask per step (a tfjs Dropout layer built with a seed reuses that seed on every call,
 * so `model.fit` with seeded Dropout drops the same units for the same batch position on every
 * step); and the backward pass (backprop.ts) needs each layer's input and output.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { FlywheelError } from '../errors';
import { headUnits, type Head } from './head';

type Layer = tfl.Sequential['layers'][number];

/** Activations a Dense layer may have in a net the loop trains (the spec's hidden ones, and linear). */
export const DENSE_ACTIVATIONS = ['linear', 'relu', 'elu', 'selu', 'tanh', 'sigmoid'] as const;
export type DenseActivation = (typeof DENSE_ACTIVATIONS)[number];

/** One Dense layer, with the Dropout that follows it (rate 0 when none) and its kernel penalty. */
export interface DenseLayer {
  readonly name: string;
  readonly kernel: tf.Variable;
  readonly bias: tf.Variable | null;
  readonly activation: DenseActivation;
  /** Rate of the Dropout layer after this one (0 when none follows). */
  readonly dropout: number;
  /** Index of that Dropout layer among the net's Dropout layers (its seed's position), or -1. */
  readonly dropoutIndex: number;
  /** Keras L1L2 factors on the kernel (0 when not regularised). */
  readonly l1: number;
  readonly l2: number;
}

export interface TrainableNet {
  /** Dense layers up to the logits (classification) or the prediction (regression). */
  readonly layers: readonly DenseLayer[];
  /** The variables the optimiser updates, in `layers` order (kernel, then bias): this model's only. */
  readonly variables: tf.Variable[];
  /** Number of Dropout layers: the training step draws one seed for each. */
  readonly dropoutCount: number;
  /** True when some kernel carries an L1 or L2 penalty. */
  readonly penalised: boolean;
}

/**
 * Checks that `model` has the shape `buildModel` gives it for `head` (Dense layers, each optionally
 * followed by Dropout; a classifier ends in Activation('softmax')) and returns what the loop needs.
 * Throws `bad_model` when the output units or the final layer do not match the head, `unsupported`
 * for a layer or regulariser the loop does not train.
 */
export function trainableNet(model: tfl.Sequential, head: Head): TrainableNet {
  const all = model.layers;
  const last = all[all.length - 1];
  const lastConfig = last.getConfig();
  const endsInSoftmax = last.getClassName() === 'Activation' && lastConfig.activation === 'softmax';
  if (head.task === 'classification' && !endsInSoftmax) {
    throw new FlywheelError(
      'bad_model',
      `a classifier must end in an Activation('softmax') layer (as buildModel makes it), found ${last.getClassName()} "${last.name}"`,
    );
  }
  if (head.task === 'regression' && (last.getClassName() !== 'Dense' || lastConfig.activation !== 'linear')) {
    throw new FlywheelError(
      'bad_model',
      `a regressor must end in a linear Dense layer, found ${last.getClassName()} "${last.name}"`,
    );
  }
  const outUnits = model.outputs[0].shape[1];
  if (outUnits !== headUnits(head)) {
    throw new FlywheelError(
      'bad_model',
      `model has ${outUnits} output units, the ${head.task} head needs ${headUnits(head)}`,
    );
  }
  const layers: DenseLayer[] = [];
  let dropoutCount = 0;
  for (const layer of endsInSoftmax ? all.slice(0, -1) : all) {
    const kind = layer.getClassName();
    if (kind === 'Dense') {
      layers.push(denseLayer(layer));
    } else if (kind === 'Dropout' && layers.length > 0 && layers[layers.length - 1].dropoutIndex < 0) {
      const rate = Number(layer.getConfig().rate);
      layers[layers.length - 1] = { ...layers[layers.length - 1], dropout: rate, dropoutIndex: dropoutCount++ };
    } else {
      throw new FlywheelError(
        'unsupported',
        `layer "${layer.name}" (${kind}): the training loop trains Dense layers, each optionally followed by one Dropout`,
      );
    }
  }
  return {
    layers,
    variables: layers.flatMap((l) => (l.bias ? [l.kernel, l.bias] : [l.kernel])),
    dropoutCount,
    penalised: layers.some((l) => l.l1 > 0 || l.l2 > 0),
  };
}

function denseLayer(layer: Layer): DenseLayer {
  const config = layer.getConfig();
  const activation = String(config.activation) as DenseActivation;
  if (!DENSE_ACTIVATIONS.includes(activation)) {
    throw new FlywheelError(
      'unsupported',
      `layer "${layer.name}": activation ${activation} is not one the training loop trains (${DENSE_ACTIVATIONS.join(', ')})`,
    );
  }
  const weight = (suffix: string) =>
    layer.trainableWeights.find((w) => w.originalName.endsWith(suffix))?.read() as tf.Variable | undefined;
  const kernel = weight('/kernel');
  if (!kernel) throw new FlywheelError('bad_model', `Dense layer "${layer.name}" has no trainable kernel`);
  const { l1, l2 } = kernelPenalty(layer);
  return { name: layer.name, kernel, bias: weight('/bias') ?? null, activation, dropout: 0, dropoutIndex: -1, l1, l2 };
}

function kernelPenalty(layer: Layer): { l1: number; l2: number } {
  const reg = layer.getConfig().kernelRegularizer as
    { className?: string; config?: { l1?: number; l2?: number } } | null | undefined;
  if (reg == null) return { l1: 0, l2: 0 };
  if (reg.className !== 'L1L2') {
    throw new FlywheelError(
      'unsupported',
      `layer "${layer.name}": kernel regularizer ${reg.className} is not supported by the training loop`,
    );
  }
  return { l1: reg.config?.l1 ?? 0, l2: reg.config?.l2 ?? 0 };
}

/** `activation(x·kernel + bias)`, as tfjs-layers' Dense computes it (ReLU fused into the matmul). */
export function dense(layer: DenseLayer, x: tf.Tensor2D): tf.Tensor2D {
  const fused = layer.activation === 'relu' ? 'relu' : 'linear';
  const z = tf.fused.matMul({ a: x, b: layer.kernel, bias: layer.bias ?? undefined, activation: fused }) as tf.Tensor2D;
  switch (layer.activation) {
    case 'linear':
    case 'relu':
      return z;
    case 'elu':
      return tf.elu(z);
    case 'selu':
      return tf.selu(z);
    case 'tanh':
      return tf.tanh(z);
    case 'sigmoid':
      return tf.sigmoid(z);
  }
}

/**
 * The Dropout multiplier for `out` with the step's seed: 0 for a dropped unit, 1/(1 − rate) for a
 * kept one, exactly the mask `tf.dropout` applies.
 */
export function dropoutMask(out: tf.Tensor2D, rate: number, seed: number): tf.Tensor2D {
  return tf.dropout(tf.onesLike(out), rate, undefined, seed) as tf.Tensor2D;
}

/**
 * Runs `x` through the net. `dropoutSeeds` (one per Dropout layer, in order) means training mode;
 * `null` means inference, where Dropout is the identity.
 */
export function forward(net: TrainableNet, x: tf.Tensor2D, dropoutSeeds: readonly number[] | null): tf.Tensor2D {
  let h = x;
  for (const layer of net.layers) {
    h = dense(layer, h);
    if (dropoutSeeds && layer.dropout > 0)
      h = tf.mul(h, dropoutMask(h, layer.dropout, dropoutSeeds[layer.dropoutIndex]));
  }
  return h;
}

/** Keras's regularisation loss: Σ l1·|W| + l2·W² over the penalised kernels (0 when there are none). */
export function penalty(net: TrainableNet): tf.Scalar {
  let total: tf.Scalar = tf.scalar(0);
  for (const { kernel, l1, l2 } of net.layers) {
    if (l1 > 0) total = tf.add(total, tf.mul(l1, tf.sum(tf.abs(kernel))));
    if (l2 > 0) total = tf.add(total, tf.mul(l2, tf.sum(tf.square(kernel))));
  }
  return total;
}
