/**
 * Seeded synthetic problems for the model tests and the training benchmark (Gaussian blobs, XOR
 * quadrants, a noisy line, pure noise), each as a dense row-major feature matrix with targets, and
 * small helpers to read a model back. Test support only: not exported from the folder's index.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { normal, seededRandom } from '../random';

export interface ClassificationSet {
  x: Float32Array;
  y: Int32Array;
  rows: number;
}

export interface RegressionSet {
  x: Float32Array;
  y: Float64Array;
  rows: number;
}

/** Two 2-D Gaussian blobs (std 1) centred at (-1.5, -1.5) and (1.5, 1.5): linearly separable up to ~2% overlap. */
export function blobs(rows: number, seed: number): ClassificationSet {
  const random = seededRandom(seed);
  const x = new Float32Array(rows * 2);
  const y = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    y[i] = i % 2;
    const centre = y[i] === 0 ? -1.5 : 1.5;
    x[i * 2] = centre + normal(random);
    x[i * 2 + 1] = centre + normal(random);
  }
  return { x, y, rows };
}

/** XOR quadrants: points around (±1, ±1) (std 0.3), class 1 when the signs differ; no linear model separates it. */
export function xor(rows: number, seed: number): ClassificationSet {
  const random = seededRandom(seed);
  const x = new Float32Array(rows * 2);
  const y = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const a = random() < 0.5 ? -1 : 1;
    const b = random() < 0.5 ? -1 : 1;
    x[i * 2] = a + 0.3 * normal(random);
    x[i * 2 + 1] = b + 0.3 * normal(random);
    y[i] = a === b ? 0 : 1;
  }
  return { x, y, rows };
}

/** Random features in [-1, 1) and a target `y = w·x + bias + noise·N(0,1)` (one feature: y = 3x + 2 + noise). */
export function noisyLinear(rows: number, features: number, seed: number, noise = 0.1): RegressionSet {
  const random = seededRandom(seed);
  const weights = Array.from({ length: features }, (_, j) => (j === 0 ? 3 : 2 * random() - 1));
  const x = new Float32Array(rows * features);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let sum = 2;
    for (let j = 0; j < features; j++) {
      const v = 2 * random() - 1;
      x[i * features + j] = v;
      sum += weights[j] * v;
    }
    y[i] = sum + noise * normal(random);
  }
  return { x, y, rows };
}

/** Random features and random labels: nothing to learn, so a big net overfits and validation loss climbs. */
export function noise(rows: number, features: number, classes: number, seed: number): ClassificationSet {
  const random = seededRandom(seed);
  const x = Float32Array.from({ length: rows * features }, () => normal(random));
  const y = Int32Array.from({ length: rows }, () => Math.floor(random() * classes));
  return { x, y, rows };
}

/** The model's raw output for row-major `x` (probabilities or standardised predictions), as the edge gets it. */
export function predictRaw(model: tfl.Sequential, x: Float32Array, rows: number): Float32Array {
  return tf.tidy(() => {
    const out = model.predict(tf.tensor2d(x, [rows, x.length / rows])) as tf.Tensor;
    return out.dataSync() as Float32Array;
  });
}

/** Every weight of `model` as plain numbers, for exact comparisons. */
export function weightsOf(model: tfl.Sequential): number[][] {
  return model.getWeights().map((w) => Array.from(w.dataSync()));
}
