import { beforeAll, describe, it, expect } from 'vitest';
import { useTestBackend } from '../../tests/support/tfjs-backend';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { buildModel } from './build-model';
import type { Head } from './head';
import { fixedModelSpec } from './spec';
import { weightsOf } from './synthetic.fixture';

const species: Head = { task: 'classification', labels: ['Adelie', 'Chinstrap', 'Gentoo'] };
const price: Head = { task: 'regression', targetMean: 10, targetStd: 2 };

/** The model.json a bundle would hold: topology plus weight specs, as `model.save` writes them. */
async function savedJson(model: tfl.Sequential): Promise<string> {
  let json = '';
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      json = JSON.stringify({ topology: artifacts.modelTopology, weights: artifacts.weightSpecs });
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
    }),
  );
  return json;
}

beforeAll(async () => {
  await useTestBackend();
});

describe('buildModel', () => {
  it('builds Dense+Dropout per hidden layer, then Dense(k) and a softmax for classification', () => {
    const model = buildModel(fixedModelSpec({ hidden: [8, 4], activation: 'tanh' }), 5, species, 1);
    expect(model.layers.map((l) => `${l.getClassName()}:${l.name}`)).toEqual([
      'Dense:hidden_1',
      'Dropout:dropout_1',
      'Dense:hidden_2',
      'Dropout:dropout_2',
      'Dense:output',
      'Activation:softmax',
    ]);
    expect(model.layers[0].getConfig().activation).toBe('tanh');
    expect(model.outputs[0].shape).toEqual([null, 3]);
    const rowSums = tf.tidy(() =>
      Array.from(tf.sum(model.predict(tf.randomNormal([4, 5], 0, 1, 'float32', 3)) as tf.Tensor, 1).dataSync()),
    );
    rowSums.forEach((s) => expect(s).toBeCloseTo(1, 5));
    model.dispose();
  });

  it('builds one linear unit for regression, no hidden layers for linear, no Dropout for rate 0', () => {
    const linear = buildModel(fixedModelSpec({ type: 'linear', hidden: [99] }), 3, price, 1);
    expect(linear.layers.map((l) => l.name)).toEqual(['output']);
    expect(linear.layers[0].getConfig().activation).toBe('linear');
    expect(linear.outputs[0].shape).toEqual([null, 1]);
    const mlp = buildModel(fixedModelSpec({ hidden: [4], dropout: 0 }), 3, price, 1);
    expect(mlp.layers.map((l) => l.name)).toEqual(['hidden_1', 'output']);
    linear.dispose();
    mlp.dispose();
  });

  it('gives the same weights and the same saved model.json for the same seed', async () => {
    const spec = fixedModelSpec({ hidden: [16, 16], activation: 'selu' });
    const a = buildModel(spec, 6, species, 42);
    const b = buildModel(spec, 6, species, 42);
    expect(weightsOf(a)).toEqual(weightsOf(b));
    expect(await savedJson(a)).toBe(await savedJson(b));
    a.dispose();
    b.dispose();
  });

  it('gives different weights for another seed, and each layer its own seed', () => {
    const spec = fixedModelSpec({ hidden: [16, 16] });
    const a = buildModel(spec, 16, species, 42);
    const b = buildModel(spec, 16, species, 43);
    expect(weightsOf(a)[0]).not.toEqual(weightsOf(b)[0]);
    // hidden_1 and hidden_2 both have 16×16 kernels: seeded alike they would be equal.
    expect(weightsOf(a)[0]).not.toEqual(weightsOf(a)[2]);
    const dropoutSeeds = a.layers.filter((l) => l.getClassName() === 'Dropout').map((l) => l.getConfig().seed);
    expect(new Set(dropoutSeeds).size).toBe(2);
    a.dispose();
    b.dispose();
  });

  it('puts the l2 penalty on every kernel as a Keras L1L2 regulariser', () => {
    const model = buildModel(fixedModelSpec({ hidden: [4], l2: 0.01 }), 3, price, 1);
    for (const name of ['hidden_1', 'output']) {
      expect(model.getLayer(name).getConfig().kernelRegularizer).toEqual({
        className: 'L1L2',
        config: { l1: 0, l2: 0.01 },
      });
    }
    model.dispose();
  });

  it('round-trips through the stock tfjs Layers format', async () => {
    const model = buildModel(fixedModelSpec({ hidden: [4] }), 3, species, 5);
    let saved: tf.io.ModelArtifacts = {};
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
      }),
    );
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(saved));
    const x = tf.tensor2d([[0.1, -2, 3]]);
    const [p, q] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    expect(Array.from(q.dataSync())).toEqual(Array.from(p.dataSync()));
    tf.dispose([x, p, q]);
    model.dispose();
    loaded.dispose();
  });

  it('refuses no features and a one-label head', () => {
    expect(() => buildModel(fixedModelSpec({}), 0, species, 1)).toThrow(/at least one input feature/);
    expect(() => buildModel(fixedModelSpec({}), 2, { task: 'classification', labels: ['a'] }, 1)).toThrow(
      /at least 2 labels/,
    );
  });
});
