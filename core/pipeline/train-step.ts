import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { LayersModelJson } from '../bundle';
import type { ModelTopology } from '../infer/layers-format';
import { parseDuration } from '../automation/duration';
import { buildModel } from '../model/build-model';
import type { Head } from '../model/head';
import { encodeInputBins, fitInputBins, withInputBins } from '../model/input-bins';
import { mergeMembers, widenedSpec, type EnsembleRecord } from '../model/merge-members';
import { trainModel } from '../model/train';
import { isFixedModel, type FixedModelSpec, type TrainSpec } from '../model/spec';
import type { BatchProgress, EpochMetrics, TrainResult } from '../model/train-types';
import { inProcessPool } from '../search/in-process-pool';
import { scoreModel } from '../search/run-trial';
import { searchData, searchModels } from '../search/search';
import type { SearchReport, TrialPool } from '../search/types';
import type { RunEvent } from './events';
import { REFIT_MEMBERS, trainMembers } from './refit-members';
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
  /** The model search that chose the model (`model.type: auto`), else null. */
  search: SearchReport | null;
  /** The model and training settings actually trained (the search's choice for `auto`). */
  trainedModel: FixedModelSpec;
  trainedTrain: TrainSpec;
  /**
   * When the saved model merges several refits of `trainedModel` (each `trainedTrain` on its own
   * seed): how many and their seeds. Null for one model. `history` and the epoch figures are the
   * first member's.
   */
  ensemble: EnsembleRecord | null;
}

export interface TrainStepOptions {
  signal?: AbortSignal;
  /** Where search trials run (default: one at a time on this thread). */
  pool?: TrialPool;
  /** An upper bound on the search budget (a retrain job's own budget), in ms. */
  maxBudgetMs?: number;
  /** Refits merged after a k-fold search (default `REFIT_MEMBERS`; 1 trains the single model). */
  refitMembers?: number;
  now?: () => number;
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

/**
 * Builds and trains the spec's model — for `model.type: auto` the one a search picks, within the
 * spec's budget — then saves it to tfjs Layers files and frees its tensors.
 */
export async function trainStep(
  spec: PipelineSpec,
  data: TrainInputs,
  emit: (e: RunEvent) => void,
  options: TrainStepOptions = {},
): Promise<TrainedModel> {
  const { signal } = options;
  const now = options.now ?? (() => performance.now());
  const started = now();
  let fixed: FixedModelSpec;
  let train = spec.train;
  let search: SearchReport | null = null;
  let stopAt: number | undefined;
  // What the final training learns from and early-stops on: the training and validation splits,
  // unless a cross-validated search says how long to train on both together.
  let rows = { x: data.x, y: data.y, rows: data.rows };
  let validation: { xVal?: Float32Array; yVal?: Int32Array | Float64Array; valRows: number } = data.valRows
    ? { xVal: data.xVal, yVal: data.yVal, valRows: data.valRows }
    : { valRows: 0 };
  if (isFixedModel(spec.model)) fixed = spec.model;
  else {
    const budgetMs = Math.min(parseDuration(spec.model.budget, 'model.budget'), options.maxBudgetMs ?? Infinity);
    const learnable = searchData({ ...data, seed: spec.train.seed });
    search = await searchModels({
      data: learnable,
      pool: options.pool ?? inProcessPool(),
      budgetMs,
      seed: spec.train.seed,
      maxEpochs: spec.train.epochs,
      patience: spec.train.earlyStopping?.patience ?? 10,
      signal,
      now,
      onTrial: (record, done, planned) => emit({ type: 'trial', record, done, planned }),
    });
    emit({ type: 'search', report: search });
    fixed = search.chosen.model;
    train = { ...spec.train, learningRate: search.chosen.learningRate, batchSize: search.chosen.batchSize };
    if (search.refitEpochs !== null) {
      rows = { x: learnable.x, y: learnable.y, rows: learnable.rows };
      validation = { valRows: 0 };
      train = { ...train, epochs: search.refitEpochs, earlyStopping: null };
    }
    stopAt = started + budgetMs;
  }
  // Inputs cut into bins (`model.bins`): encoded once here, the encoding prepended to the saved model.
  const bins = fixed.bins !== undefined ? fitInputBins(rows.x, rows.rows, data.inputDim, fixed.bins) : null;
  if (bins) {
    rows = { ...rows, x: encodeInputBins(bins, rows.x, rows.rows) };
    if (validation.xVal)
      validation = { ...validation, xVal: encodeInputBins(bins, validation.xVal, validation.valRows) };
  }
  const width = bins ? bins.units : data.inputDim;
  const kFold = search !== null && search.refitEpochs !== null;
  const count = search !== null ? (options.refitMembers ?? REFIT_MEMBERS) : 1;
  const epochs = train.epochs;
  const trainMember = async (seed: number, first: boolean): Promise<TrainResult> => {
    const model = buildModel(fixed, width, data.head, seed);
    try {
      return await trainModel({
        model,
        head: data.head,
        ...rows,
        ...validation,
        spec: { ...train, seed },
        signal,
        stopAt,
        now,
        // Progress shows the first member's epochs; the others are logged as they start.
        ...(first
          ? {
              onEpoch: (metrics: EpochMetrics) => emit({ type: 'epoch', metrics, epochs }),
              onBatch: (progress: BatchProgress) => emit({ type: 'batch', progress, epochs }),
            }
          : {}),
      });
    } catch (e) {
      model.dispose();
      throw e;
    }
  };
  const { results, seeds, ms } = await trainMembers({
    count,
    seed: train.seed,
    // After a k-fold search every member trains the folds' epochs; on a validation split each one
    // early-stops on it.
    ...(kFold ? { epochs } : {}),
    stopAt,
    now,
    emit,
    train: trainMember,
  });
  let merged =
    results.length > 1
      ? mergeMembers(
          results.map((r) => r.model),
          fixed,
          width,
          data.head,
        )
      : null;
  // On a validation split (which the members only early-stopped on), the ensemble is kept only when it wins there.
  if (merged && validation.xVal && validation.yVal) {
    const { xVal, yVal, valRows } = validation;
    const lossOf = async (m: tfl.LayersModel) => (await scoreModel(m, data.head, xVal, yVal, valRows, width)).loss;
    const single = await lossOf(results[0].model);
    const averaged = await lossOf(merged);
    if (averaged <= single)
      emit({
        type: 'log',
        level: 'info',
        message: `the ${results.length} refits averaged: validation loss ${averaged.toPrecision(4)}, against ${single.toPrecision(4)} for the first alone`,
      });
    else {
      emit({
        type: 'log',
        level: 'info',
        message: `the first refit alone is served: validation loss ${single.toPrecision(4)}, against ${averaged.toPrecision(4)} for the ${results.length} averaged`,
      });
      merged.dispose();
      merged = null;
    }
  }
  const trained = merged ?? results[0].model;
  const served = bins
    ? withInputBins(trained, merged ? widenedSpec(fixed, results.length) : fixed, data.head, bins)
    : trained;
  const files = await saveLayers(served);
  if (served !== trained) served.dispose();
  merged?.dispose();
  for (const r of results) r.model.dispose();
  const { model: _model, outOfTime: _outOfTime, ...first } = results[0];
  return {
    ...files,
    ...first,
    warnings: [...new Set(results.flatMap((r) => r.warnings))],
    search,
    trainedModel: fixed,
    trainedTrain: train,
    ensemble: merged ? { members: results.length, seeds, ms } : null,
  };
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
