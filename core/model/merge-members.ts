/**
 * An ensemble of same-shaped networks as one ordinary network, so a bundle holds one model that the
 * lean runtime (core/infer) and stock tfjs serve as they serve any other.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { FlywheelError } from '../errors';
import { buildModel } from './build-model';
import type { Head } from './head';
import type { FixedModelSpec } from './spec';

/** How an ensemble served as one model was made: recorded in the lineage so a run can be reproduced. */
export interface EnsembleRecord {
  /** Members merged into the model, each the same spec and training, on its own seed. */
  members: number;
  /** Each member's training seed (the first is the spec's own: that member alone is the single model). */
  seeds: number[];
  /** Each member's training time (ms). */
  ms: number[];
}

/**
 * Merges `members` (each built by `buildModel(spec, inputDim, head, …)` and trained) into one
 * Sequential of the same layer kinds and names whose hidden layers are `members.length` times wider:
 * the first hidden kernel is the members' kernels side by side, deeper ones block-diagonal (each
 * member's units see only that member's units), and the output layer averages the members' outputs:
 * its kernel is theirs stacked and divided by the count, its bias their mean. A regressor so predicts
 * the mean of its members, a classifier the softmax of their mean logits; a linear model merges to
 * the mean kernel and bias. Dropout layers keep their rate (they are the identity when predicting).
 * The members are left as they are; the caller disposes them.
 */
export function mergeMembers(
  members: readonly tfl.Sequential[],
  spec: FixedModelSpec,
  inputDim: number,
  head: Head,
): tfl.Sequential {
  const m = members.length;
  if (m === 0) throw new FlywheelError('bad_model', 'an ensemble needs at least one member');
  const hidden = spec.type === 'mlp' ? spec.hidden : [];
  const layersOf = members.map((model) => {
    const dense = model.layers.filter((l) => l.getClassName() === 'Dense');
    if (dense.length !== hidden.length + 1) {
      throw new FlywheelError(
        'bad_model',
        `an ensemble member has ${dense.length} Dense layers, its spec ${hidden.length + 1}`,
      );
    }
    return dense.map((l) => l.getWeights().map((w) => w.dataSync() as Float32Array));
  });
  const weights: Float32Array[] = [];
  let inUnits = inputDim;
  hidden.forEach((units, i) => {
    // The first layer's members all read the same inputs: side by side. A deeper one reads only its
    // own member's units of the layer before: block-diagonal.
    const rows = i === 0 ? inputDim : m * inUnits;
    const kernel = new Float32Array(rows * m * units);
    layersOf.forEach((layers, k) => {
      const own = layers[i][0];
      const rowOffset = i === 0 ? 0 : k * inUnits;
      for (let r = 0; r < inUnits; r++) {
        kernel.set(own.subarray(r * units, (r + 1) * units), (rowOffset + r) * m * units + k * units);
      }
    });
    const bias = new Float32Array(m * units);
    layersOf.forEach((layers, k) => bias.set(layers[i][1], k * units));
    weights.push(kernel, bias);
    inUnits = units;
  });
  const out = hidden.length;
  const outUnits = layersOf[0][out][1].length;
  // Summed in doubles, then divided, so the merge does not depend on rounding order beyond one step.
  const mean = (pick: (k: number) => Float32Array, length: number) => {
    const sum = new Float64Array(length);
    for (let k = 0; k < m; k++) pick(k).forEach((v, j) => (sum[j] += v));
    return Float32Array.from(sum, (v) => v / m);
  };
  if (out === 0) {
    weights.push(
      mean((k) => layersOf[k][0][0], inputDim * outUnits),
      mean((k) => layersOf[k][0][1], outUnits),
    );
  } else {
    const kernel = new Float32Array(m * inUnits * outUnits);
    layersOf.forEach((layers, k) =>
      kernel.set(
        layers[out][0].map((v) => v / m),
        k * inUnits * outUnits,
      ),
    );
    weights.push(
      kernel,
      mean((k) => layersOf[k][out][1], outUnits),
    );
  }
  // The seed only draws initial weights, all replaced below.
  const merged = buildModel(widenedSpec(spec, m), inputDim, head, 1);
  const shapes = merged.weights.map((w) => w.read().shape);
  const tensors = weights.map((w, i) => tf.tensor(w, shapes[i], 'float32'));
  merged.setWeights(tensors);
  tf.dispose(tensors);
  return merged;
}

/** The spec of `members` merged models of `spec`: each hidden layer that many times as wide. */
export function widenedSpec(spec: FixedModelSpec, members: number): FixedModelSpec {
  return spec.type === 'mlp' ? { ...spec, hidden: spec.hidden.map((u) => u * members) } : spec;
}
