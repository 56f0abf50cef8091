/**
 * The forward pass the training loop differentiates. It walks the Sequential's layers itself rather
 * than calling `model.apply`, for two reasons: classification stops before the final softmax so the
 * loss works on logits (log-sum-exp, no log(0)), and Dropout draws a fresh seeded mask per step. A
 * tfjs Dropout layer built with a seed reuses that seed on every call, so `model.fit` with seeded
 * Dropout drops the same units for the same batch position on every step.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { FlywheelError } from '../errors';
import { headUnits, type Head } from './head';

type Layer = tfl.Sequential['layers'][number];

/** A Dense kernel with its Keras L1/L2 penalty factors. */
interface PenalisedKernel {
  readonly kernel: tfl.LayerVariable;
  readonly l1: number;
  readonly l2: number;
}

export interface TrainableNet {
  /** Layers up to the logits (classification) or the prediction (regression). */
  readonly layers: readonly Layer[];
  /** Dropout rate per entry of `layers` (0 for other layers). */
  readonly dropoutRates: readonly number[];
  readonly penalised: readonly PenalisedKernel[];
  /** The variables the optimiser updates: this model's, never another model's in the same engine. */
  readonly variables: tf.Variable[];
  /** Number of Dropout layers: the training step draws one seed for each. */
  readonly dropoutCount: number;
}

/**
 * Checks that `model` has the shape `buildModel` gives it for `head` and returns what the loop needs.
 * Throws `bad_model` when the output units or the final layer do not match the head.
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
  const layers = endsInSoftmax ? all.slice(0, -1) : all;
  const dropoutRates = layers.map((l) => (l.getClassName() === 'Dropout' ? Number(l.getConfig().rate) : 0));
  return {
    layers,
    dropoutRates,
    penalised: layers.flatMap((l) => penalisedKernel(l)),
    variables: model.trainableWeights.map((w) => w.read() as tf.Variable),
    dropoutCount: layers.filter((l) => l.getClassName() === 'Dropout').length,
  };
}

function penalisedKernel(layer: Layer): PenalisedKernel[] {
  const reg = layer.getConfig().kernelRegularizer as
    { className?: string; config?: { l1?: number; l2?: number } } | null | undefined;
  if (reg == null) return [];
  if (reg.className !== 'L1L2') {
    throw new FlywheelError(
      'unsupported',
      `layer "${layer.name}": kernel regularizer ${reg.className} is not supported by the training loop`,
    );
  }
  const kernel = layer.trainableWeights.find((w) => w.originalName.endsWith('/kernel'));
  if (!kernel) return [];
  return [{ kernel, l1: reg.config?.l1 ?? 0, l2: reg.config?.l2 ?? 0 }];
}

/**
 * Runs `x` through the net. `dropoutSeeds` (one per Dropout layer, in order) means training mode;
 * `null` means inference, where Dropout is the identity.
 */
export function forward(net: TrainableNet, x: tf.Tensor2D, dropoutSeeds: readonly number[] | null): tf.Tensor2D {
  let h: tf.Tensor = x;
  let d = 0;
  net.layers.forEach((layer, i) => {
    const rate = net.dropoutRates[i];
    if (layer.getClassName() === 'Dropout') {
      if (dropoutSeeds && rate > 0) h = tf.dropout(h, rate, undefined, dropoutSeeds[d]);
      d++;
    } else {
      h = layer.apply(h) as tf.Tensor;
    }
  });
  return h as tf.Tensor2D;
}

/** Keras's regularisation loss: Σ l1·|W| + l2·W² over the penalised kernels (0 when there are none). */
export function penalty(net: TrainableNet): tf.Scalar {
  let total: tf.Scalar = tf.scalar(0);
  for (const { kernel, l1, l2 } of net.penalised) {
    const w = kernel.read();
    if (l1 > 0) total = tf.add(total, tf.mul(l1, tf.sum(tf.abs(w))));
    if (l2 > 0) total = tf.add(total, tf.mul(l2, tf.sum(tf.square(w))));
  }
  return total;
}
