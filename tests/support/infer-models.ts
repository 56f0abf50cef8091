/**
 * Test support for core/infer's tests and bench/infer: a seeded PRNG, tfjs models with seeded
 * weights, their saved artifacts in both accepted shapes, and tfjs's own predictions to compare with.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { LayersModelArtifacts, LayersModelFiles, WeightSpec } from '../../core/infer/layers-format';

export { seededRandom } from '../../core/random';

/** Standard normal values (Box–Muller) from a seeded generator, as float32. */
export function normalValues(rand: () => number, n: number, scale = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = scale * Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  }
  return out;
}

function uniformValues(rand: () => number, n: number, lo: number, hi: number): Float32Array {
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * rand());
}

/**
 * Replaces every weight of `model` with seeded values that exercise every term: Glorot-scaled
 * kernels, non-zero biases, and batch-norm statistics far from their identity defaults.
 */
export function setSeededWeights(model: LayersModel, rand: () => number): void {
  for (const layer of model.layers) {
    const values = layer.weights.map((w) => {
      const shape = w.shape as number[];
      const n = shape.reduce((a, b) => a * b, 1);
      const name = w.originalName;
      let v: Float32Array;
      if (name.endsWith('/kernel')) {
        const limit = Math.sqrt(6 / (shape[0] + shape[shape.length - 1]));
        v = uniformValues(rand, n, -limit, limit);
      } else if (name.endsWith('/moving_variance')) v = uniformValues(rand, n, 0.3, 2.5);
      else if (name.endsWith('/gamma')) v = uniformValues(rand, n, 0.5, 1.5);
      else if (name.endsWith('/moving_mean')) v = uniformValues(rand, n, -1, 1);
      else v = uniformValues(rand, n, -0.5, 0.5);
      return tf.tensor(v, shape);
    });
    layer.setWeights(values);
    tf.dispose(values);
  }
}

export interface SavedModel {
  artifacts: LayersModelArtifacts;
  files: LayersModelFiles;
}

/** The model as tfjs saves it: the in-memory artifacts, and the model.json + weights.bin files. */
export async function saveModel(model: LayersModel): Promise<SavedModel> {
  let saved: SavedModel | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const weightSpecs = (a.weightSpecs ?? []) as WeightSpec[];
      const weightData = a.weightData instanceof ArrayBuffer ? a.weightData : new Uint8Array(0).buffer;
      saved = {
        artifacts: { modelTopology: a.modelTopology, weightSpecs, weightData },
        files: {
          modelJson: JSON.stringify({
            format: a.format,
            generatedBy: a.generatedBy,
            convertedBy: a.convertedBy,
            modelTopology: a.modelTopology,
            weightsManifest: [{ paths: ['./weights.bin'], weights: weightSpecs }],
          }),
          weights: new Uint8Array(weightData),
        },
      };
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
    }),
  );
  if (!saved) throw new Error('tfjs did not save the model');
  return saved;
}

/** tfjs `model.predict` on flat rows, as a Float32Array. */
export function tfjsPredict(model: LayersModel, input: Float32Array, rows: number): Float32Array {
  const rowShape = model.inputs[0].shape.slice(1) as number[];
  return tf.tidy(() => {
    const y = model.predict(tf.tensor(input, [rows, ...rowShape])) as tf.Tensor;
    return new Float32Array(y.dataSync());
  });
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) || Number.isNaN(b[i])) {
      if (Number.isNaN(a[i]) !== Number.isNaN(b[i])) return Infinity;
      continue;
    }
    max = Math.max(max, Math.abs(a[i] - b[i]));
  }
  return max;
}
