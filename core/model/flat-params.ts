/**
 * The net's variables as one flat variable for the optimiser. tfjs's optimisers run their update
 * kernel by kernel for each variable (Adam: ~14 kernels and a handful of scalar uploads per
 * variable, per step), and on a small MLP each kernel call costs more than its arithmetic; updating
 * one flat variable pays that once instead of once per kernel and bias. Every optimiser's update is
 * elementwise, so the result is the one the per-variable update gives.
 */
import * as tf from '@tensorflow/tfjs-core';

export interface FlatParams {
  /** Applies one step of `optimizer` with `grads` (aligned with the variables) and writes the variables back; call inside `tf.tidy`. */
  step(optimizer: tf.Optimizer, grads: readonly tf.Tensor[]): void;
  /** Frees the flat copy (the variables themselves stay). */
  dispose(): void;
}

/** A flat copy of `variables` (their current values); the caller disposes it. */
export function flatParams(variables: readonly tf.Variable[]): FlatParams {
  const sizes = variables.map((v) => v.size);
  const initial = tf.tidy(() => tf.concat(variables.map((v) => tf.reshape(v, [-1]))));
  const flat = tf.variable(initial, true);
  initial.dispose();
  return {
    step(optimizer, grads) {
      optimizer.applyGradients({ [flat.name]: tf.concat(grads.map((g) => tf.reshape(g, [-1]))) });
      tf.split(flat, sizes).forEach((part, i) => variables[i].assign(tf.reshape(part, variables[i].shape)));
    },
    dispose: () => flat.dispose(),
  };
}
