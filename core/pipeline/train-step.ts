import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { LayersModelJson } from '../bundle';
import type { ModelTopology } from '../infer/layers-format';
import { buildModel } from '../model/build-model';
import type { Head } from '../model/head';
import { trainModel } from '../model/train';
import type { EpochMetrics, TrainResult } from '../model/train-types';
import type { RunEvent } from './events';
import type { PipelineSpec } from './spec';

/** What the train step yields, in a form that caches as JSON and loads in the lean runtime or tfjs. */
export interface TrainedModel {
  modelJson: LayersModelJson;
  weights: Uint8Array;
  history: EpochMetrics[];
  bestEpoch: number;
  stoppedEarly: boolean;
  epochsRun: number;
  samplesPerSec: number;
  warnings: string[];
}

export interface TrainInputs {
  head: Head;
  x: Float32Array;
  y: Int32Array | Float64Array;
  rows: number;
  xVal: Float32Array;
  yVal: Int32Array | Float64Array;
  valRows: number;
  inputDim: number;
}

/** Builds and trains the spec's model, then saves it to tfjs Layers files and frees its tensors. */
export async function trainStep(
  spec: PipelineSpec,
  data: TrainInputs,
  emit: (e: RunEvent) => void,
  signal?: AbortSignal,
): Promise<TrainedModel> {
  const model = buildModel(spec.model, data.inputDim, data.head, spec.train.seed);
  const epochs = spec.train.epochs;
  let result: TrainResult;
  try {
    result = await trainModel({
      model,
      head: data.head,
      x: data.x,
      y: data.y,
      rows: data.rows,
      xVal: data.valRows ? data.xVal : undefined,
      yVal: data.valRows ? data.yVal : undefined,
      valRows: data.valRows,
      spec: spec.train,
      signal,
      onEpoch: (metrics) => emit({ type: 'epoch', metrics, epochs }),
      onBatch: (progress) => emit({ type: 'batch', progress, epochs }),
    });
  } catch (e) {
    model.dispose();
    throw e;
  }
  const files = await saveLayers(result.model);
  result.model.dispose();
  const { model: _model, ...rest } = result;
  return { ...files, ...rest };
}

/** The model as `model.json` + `weights.bin`, exactly what stock `tf.loadLayersModel` reads. */
export async function saveLayers(model: tfl.LayersModel): Promise<{ modelJson: LayersModelJson; weights: Uint8Array }> {
  let saved: { modelJson: LayersModelJson; weights: Uint8Array } | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData;
      const buffer =
        data === undefined ? new ArrayBuffer(0) : Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data;
      saved = {
        modelJson: {
          format: 'layers-model',
          generatedBy: artifacts.generatedBy ?? 'TensorFlow.js',
          convertedBy: null,
          // A Layers model saves its topology as this JSON (tfjs types it as `{}` or bytes for every model kind).
          modelTopology: artifacts.modelTopology as ModelTopology,
          weightsManifest: [
            {
              paths: ['weights.bin'],
              weights: (artifacts.weightSpecs ?? []).map((w) => ({ name: w.name, shape: w.shape, dtype: w.dtype })),
            },
          ],
        },
        weights: new Uint8Array(buffer),
      };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return saved!;
}
