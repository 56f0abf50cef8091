import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { createPredictor } from './create-predictor';
import { compileLeanModel } from './lean-model';
import { loadTfjsPredictor } from './tfjs-fallback';
import {
  maxAbsDiff,
  normalValues,
  saveModel,
  seededRandom,
  setSeededWeights,
  tfjsPredict,
} from '../../tests/support/infer-models';

const TOLERANCE = 1e-5;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function conv1dModel(): tfl.LayersModel {
  return tfl.sequential({
    layers: [
      tfl.layers.conv1d({ filters: 2, kernelSize: 3, inputShape: [8, 3], activation: 'relu' }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 2 }),
    ],
  });
}

function lstmModel(): tfl.LayersModel {
  return tfl.sequential({
    layers: [
      tfl.layers.lstm({ units: 4, inputShape: [5, 3], recurrentInitializer: 'glorotUniform' }),
      tfl.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
}

/** Two branches joined by Add: every layer is supported, but the graph is not a chain. */
function branchingModel(): tfl.LayersModel {
  const input = tfl.input({ shape: [4] });
  const a = tfl.layers.dense({ units: 3 }).apply(input) as tfl.SymbolicTensor;
  const b = tfl.layers.dense({ units: 3, activation: 'relu' }).apply(input) as tfl.SymbolicTensor;
  const sum = tfl.layers.add().apply([a, b]) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: sum });
}

async function seededSave(model: tfl.LayersModel, seed: number) {
  setSeededWeights(model, seededRandom(seed));
  return saveModel(model);
}

describe('unsupported models', () => {
  it('the lean runtime refuses Conv1D with unsupported, naming the layer class and name', async () => {
    const model = conv1dModel();
    const { files } = await seededSave(model, 1);
    const name = model.layers[0].name;
    expect(() => compileLeanModel(files)).toThrow(
      expect.objectContaining({
        code: 'unsupported',
        message: `layer "${name}" (Conv1D): the lean runtime does not support the layer class Conv1D`,
      }),
    );
  });

  it('the lean runtime refuses LSTM and graphs that are not chains', async () => {
    const lstm = await seededSave(lstmModel(), 2);
    expect(() => compileLeanModel(lstm.artifacts)).toThrow(
      expect.objectContaining({ code: 'unsupported', message: expect.stringContaining('(LSTM)') }),
    );
    const branching = await seededSave(branchingModel(), 3);
    expect(() => compileLeanModel(branching.artifacts)).toThrow(
      expect.objectContaining({ code: 'unsupported', message: expect.stringContaining('chains of layers') }),
    );
  });

  it('the lean runtime refuses an unknown activation', async () => {
    const { files } = await seededSave(
      tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [3] })] }),
      4,
    );
    const json = JSON.parse(files.modelJson as string);
    json.modelTopology.config.layers[0].config.activation = 'exponential';
    expect(() => compileLeanModel({ ...files, modelJson: json })).toThrow(
      expect.objectContaining({
        code: 'unsupported',
        message: expect.stringContaining('activation "exponential"'),
      }),
    );
  });
});

describe('createPredictor', () => {
  it('serves a supported model with the lean runtime', async () => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 3, inputShape: [4], activation: 'softmax' })] });
    const { files } = await seededSave(model, 5);
    const predictor = await createPredictor(files);
    expect(predictor.kind).toBe('lean');
    const input = normalValues(seededRandom(6), 4 * 5);
    expect(maxAbsDiff(predictor.predict(input, 5), tfjsPredict(model, input, 5))).toBeLessThanOrEqual(TOLERANCE);
  });

  for (const [label, build] of [
    ['Conv1D', conv1dModel],
    ['LSTM', lstmModel],
    ['a branching graph', branchingModel],
  ] as const) {
    it(`falls back to tfjs for ${label} and matches tfjs predict`, async () => {
      const model = build();
      const { files } = await seededSave(model, 7);
      const predictor = await createPredictor(files, { allowFallback: true });
      expect(predictor.kind).toBe('tfjs');
      expect(predictor.inputShape).toEqual(model.inputs[0].shape.slice(1));
      for (const rows of [1, 6]) {
        const input = normalValues(seededRandom(8 + rows), rows * predictor.inputDim);
        const got = predictor.predict(input, rows);
        expect(got.length).toBe(rows * predictor.outputDim);
        expect(maxAbsDiff(got, tfjsPredict(model, input, rows))).toBeLessThanOrEqual(TOLERANCE);
      }
      predictor.dispose();
    });
  }

  it('rethrows unsupported when fallback is not allowed', async () => {
    const { files } = await seededSave(conv1dModel(), 9);
    await expect(createPredictor(files, { allowFallback: false })).rejects.toMatchObject({ code: 'unsupported' });
  });

  it('does not fall back for a broken model: bad_model is reported as is', async () => {
    const { artifacts } = await seededSave(conv1dModel(), 10);
    const truncated = { ...artifacts, weightData: (artifacts.weightData as ArrayBuffer).slice(0, 8) };
    await expect(createPredictor(truncated)).rejects.toMatchObject({ code: 'bad_model' });
  });
});

describe('loadTfjsPredictor', () => {
  it('serves supported models too, and checks its input like the lean runtime', async () => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [3], activation: 'elu' })] });
    const { artifacts } = await seededSave(model, 11);
    const tfjs = await loadTfjsPredictor(artifacts);
    const lean = compileLeanModel(artifacts);
    const input = normalValues(seededRandom(12), 3 * 4);
    expect(maxAbsDiff(tfjs.predict(input, 4), lean.predict(input, 4))).toBeLessThanOrEqual(TOLERANCE);
    expect(tfjs.predict(new Float32Array(0), 0)).toEqual(new Float32Array(0));
    expect(() => tfjs.predict(new Float32Array(4), 1)).toThrow(expect.objectContaining({ code: 'bad_input' }));
    tfjs.dispose();
  });
});
