/**
 * Piecewise-linear encoding of a model's inputs (Gorishniy, Rubachev and Babenko, "On Embeddings for
 * Numerical Features in Tabular Deep Learning", NeurIPS 2022): an input with more than two values is
 * cut at its training quantiles b₀ < b₁ < … < b_T, and bin t becomes the input clip((x − b_{t−1}) /
 * (b_t − b_{t−1}), 0, 1). An MLP then fits a step or a narrow peak in one input (the storm days of a
 * flights table, the hours of a rush) with one weight per bin instead of many units. Two-valued
 * inputs (one-hot slots, booleans) pass through as 0/1.
 *
 * Training encodes the rows once and trains the network on the encoded width; the saved model gets
 * the encoding as its first layer, a Dense layer with a hard sigmoid (clip(0.2·v + 0.5, 0, 1)), so
 * stock tfjs and the lean runtime serve it as any model.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { buildModel } from './build-model';
import type { Head } from './head';
import type { FixedModelSpec } from './spec';

/**
 * Most encoded inputs: a wide table's inputs get fewer bins each, so the first layer stays as cheap
 * as a wide hidden layer (64 pixel columns of sklearn digits: 8 bins each).
 */
export const MAX_BIN_UNITS = 512;
/**
 * Narrowest bin, relative to its edges' size: the served layer computes x · (5 / w) + (−5 b / w − 2.5)
 * in float32, whose error grows as |b| / w; at this width it stays near 1e-4 of a bin.
 */
const MIN_RELATIVE_WIDTH = 1e-3;

/** The fitted encoding: encoded input u reads input `column[u]` as clip(x · scale[u] + shift[u], 0, 1). */
export interface InputBins {
  inputDim: number;
  units: number;
  column: Int32Array;
  scale: Float64Array;
  shift: Float64Array;
}

/** Fits the encoding with up to `bins` bins per input on `rows` row-major rows of `x`. */
export function fitInputBins(x: Float32Array, rows: number, inputDim: number, bins: number): InputBins {
  const values: Float64Array[] = [];
  const binned: boolean[] = [];
  for (let j = 0; j < inputDim; j++) {
    const v = new Float64Array(rows);
    for (let r = 0; r < rows; r++) v[r] = x[r * inputDim + j];
    v.sort();
    values.push(v);
    binned.push(distinctMoreThanTwo(v));
  }
  const multi = binned.filter(Boolean).length;
  const perColumn = Math.max(2, Math.min(bins, Math.floor(MAX_BIN_UNITS / Math.max(1, multi))));
  const column: number[] = [];
  const scale: number[] = [];
  const shift: number[] = [];
  values.forEach((v, j) => {
    const lo = rows > 0 ? v[0] : 0;
    const hi = rows > 0 ? v[rows - 1] : 0;
    if (!binned[j]) {
      // 0/1 stays 0/1 (any two values map to 0 and 1); a constant input maps to 0.
      column.push(j);
      scale.push(hi > lo ? 1 / (hi - lo) : 0);
      shift.push(hi > lo ? -lo / (hi - lo) : 0);
      return;
    }
    const edges: number[] = [];
    // Edges at values the input takes (the lower quantile), so a discrete input gets a bin per step.
    for (let t = 0; t <= perColumn; t++) {
      const e = v[Math.floor(((rows - 1) * t) / perColumn)];
      const last = edges[edges.length - 1];
      if (edges.length === 0 || e - last > MIN_RELATIVE_WIDTH * Math.max(1, Math.abs(e), Math.abs(last))) edges.push(e);
    }
    // Values too close together for any bin: one input from the lowest to the highest.
    if (edges.length < 2) edges.push(hi);
    for (let t = 1; t < edges.length; t++) {
      const width = edges[t] - edges[t - 1];
      column.push(j);
      scale.push(1 / width);
      shift.push(-edges[t - 1] / width);
    }
  });
  return {
    inputDim,
    units: column.length,
    column: Int32Array.from(column),
    scale: Float64Array.from(scale),
    shift: Float64Array.from(shift),
  };
}

function distinctMoreThanTwo(sorted: Float64Array): boolean {
  const n = sorted.length;
  if (n < 3 || sorted[0] === sorted[n - 1]) return false;
  for (let i = 1; i < n - 1; i++) if (sorted[i] !== sorted[0] && sorted[i] !== sorted[n - 1]) return true;
  return false;
}

/** `rows` rows of `x` encoded: `rows × bins.units`, row-major. */
export function encodeInputBins(bins: InputBins, x: Float32Array, rows: number): Float32Array {
  const { inputDim, units, column, scale, shift } = bins;
  const out = new Float32Array(rows * units);
  for (let r = 0; r < rows; r++) {
    const xo = r * inputDim;
    const oo = r * units;
    for (let u = 0; u < units; u++) {
      const v = x[xo + column[u]] * scale[u] + shift[u];
      out[oo + u] = v <= 0 ? 0 : v >= 1 ? 1 : v;
    }
  }
  return out;
}

/**
 * The served model: `trained` (built by `buildModel(spec, bins.units, head, …)`, or merged from
 * such) behind the encoding as its first layer, reading the unencoded inputs.
 */
export function withInputBins(
  trained: tfl.Sequential,
  spec: FixedModelSpec,
  head: Head,
  bins: InputBins,
): tfl.Sequential {
  const model = buildModel(spec, bins.inputDim, head, 1, bins.units);
  // hardSigmoid(v) = clip(0.2 v + 0.5, 0, 1): v = 5 (x · scale + shift) − 2.5 gives clip(x · scale + shift, 0, 1).
  const kernel = new Float32Array(bins.inputDim * bins.units);
  const bias = new Float32Array(bins.units);
  for (let u = 0; u < bins.units; u++) {
    kernel[bins.column[u] * bins.units + u] = 5 * bins.scale[u];
    bias[u] = 5 * bins.shift[u] - 2.5;
  }
  const tensors = [tf.tensor2d(kernel, [bins.inputDim, bins.units]), tf.tensor1d(bias)];
  // Layer by layer: the frozen first layer's weights come last in `model.weights`.
  model.layers[0].setWeights(tensors);
  tf.dispose(tensors);
  trained.layers.forEach((layer, i) => model.layers[i + 1].setWeights(layer.getWeights()));
  return model;
}
