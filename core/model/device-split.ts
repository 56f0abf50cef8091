/**
 * A training or validation split held as tensors on the active backend, uploaded once so a GPU
 * backend gathers each mini-batch on the device instead of re-uploading rows every step.
 */
import * as tf from '@tensorflow/tfjs-core';
import { encodeTargets, type Head } from './head';

export interface SplitTensors {
  readonly x: tf.Tensor2D;
  /** One-hot [rows, k] (classification) or the standardised target [rows, 1] (regression). */
  readonly target: tf.Tensor2D;
  /** Class index per row, for accuracy (classification only). */
  readonly labels: tf.Tensor1D | null;
  /** Per-row loss weight (classification with class weights only). */
  readonly weights: tf.Tensor1D | null;
}

export interface DeviceSplit extends SplitTensors {
  readonly rows: number;
}

/** Uploads a split; `rowWeights` null means unweighted. The caller disposes it with `disposeSplit`. */
export function uploadSplit(
  x: Float32Array,
  y: ArrayLike<number>,
  rows: number,
  inputDim: number,
  head: Head,
  rowWeights: Float32Array | null,
): DeviceSplit {
  const encoded = encodeTargets(y, rows, head);
  const units = head.task === 'classification' ? head.labels.length : 1;
  return {
    rows,
    x: tf.tensor2d(x, [rows, inputDim], 'float32'),
    target: tf.tensor2d(encoded, [rows, units], 'float32'),
    labels: head.task === 'classification' ? tf.tensor1d(Int32Array.from(y), 'int32') : null,
    weights: rowWeights ? tf.tensor1d(rowWeights, 'float32') : null,
  };
}

/** The rows `index` of a split (for a shuffled mini-batch); call inside `tf.tidy`. */
export function gatherRows(split: DeviceSplit, index: tf.Tensor1D): SplitTensors {
  return {
    x: tf.gather(split.x, index),
    target: tf.gather(split.target, index),
    labels: split.labels ? tf.gather(split.labels, index) : null,
    weights: split.weights ? tf.gather(split.weights, index) : null,
  };
}

/** Rows [start, start + size) of a split (for chunked evaluation); call inside `tf.tidy`. */
export function chunkOfSplit(split: DeviceSplit, start: number, size: number): SplitTensors {
  return {
    x: tf.slice(split.x, [start, 0], [size, -1]),
    target: tf.slice(split.target, [start, 0], [size, -1]),
    labels: split.labels ? tf.slice(split.labels, [start], [size]) : null,
    weights: null,
  };
}

export function disposeSplit(split: DeviceSplit): void {
  tf.dispose([
    split.x,
    split.target,
    ...(split.labels ? [split.labels] : []),
    ...(split.weights ? [split.weights] : []),
  ]);
}
