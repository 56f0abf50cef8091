/**
 * The tfjs fallback: the same `Predictor` contract served by `tf.loadLayersModel`, for models the lean
 * runtime refuses. It runs on whatever tfjs backend the caller has selected. This is the only file of
 * core/infer that imports tfjs; `createPredictor` loads it lazily so bundles that never fall back skip it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { loadLayersModel } from '@tensorflow/tfjs-layers';
import { errorMessage, FlywheelError } from '../errors';
import { normalizeArtifacts, type LayersArtifacts } from './layers-format';
import { checkPredictInput, type Predictor } from './predictor';

/** Loads the artifacts with tfjs-layers and wraps `model.predict` as a `Predictor` (kind `tfjs`). */
export async function loadTfjsPredictor(artifacts: LayersArtifacts): Promise<Predictor> {
  const { topology, weightSpecs, weightData } = normalizeArtifacts(artifacts);
  const model = await loadLayersModel(
    tf.io.fromMemory({
      modelTopology: topology,
      weightSpecs,
      // An exact-size copy: the view may sit inside a larger buffer (a zip entry, say).
      weightData: weightData.slice().buffer,
    }),
  ).catch((e: unknown) => {
    throw new FlywheelError('bad_model', `tfjs could not load the model: ${errorMessage(e)}`, [
      { path: 'model.json', message: errorMessage(e) },
    ]);
  });
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    model.dispose();
    throw new FlywheelError(
      'unsupported',
      `models with several inputs or outputs cannot be served (this one has ${model.inputs.length} and ${model.outputs.length})`,
      [{ path: 'modelTopology', message: 'several inputs or outputs' }],
    );
  }
  const inputShape = model.inputs[0].shape.slice(1);
  const outputShape = model.outputs[0].shape.slice(1);
  if (![...inputShape, ...outputShape].every((d): d is number => typeof d === 'number')) {
    model.dispose();
    throw new FlywheelError(
      'unsupported',
      `models with variable-size inputs or outputs cannot be served (input [${inputShape.join(', ')}], output [${outputShape.join(', ')}])`,
      [{ path: 'modelTopology', message: 'variable-size dimension' }],
    );
  }
  const inDims = inputShape as number[];
  const outDims = outputShape as number[];
  const inputDim = inDims.reduce((a, b) => a * b, 1);
  const outputDim = outDims.reduce((a, b) => a * b, 1);
  return {
    kind: 'tfjs',
    inputShape: inDims,
    outputShape: outDims,
    inputDim,
    outputDim,
    predict(input, rows) {
      checkPredictInput(input, rows, inputDim);
      if (rows === 0) return new Float32Array(0);
      return tf.tidy(() => {
        const y = model.predict(tf.tensor(input, [rows, ...inDims], 'float32')) as tf.Tensor;
        // A copy: some backends hand out their own storage, which dies with the tensor.
        return new Float32Array(y.dataSync());
      });
    },
    dispose: () => model.dispose(),
  };
}
