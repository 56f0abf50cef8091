import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { WeightSpec } from './layers-format';
import { compileLeanModel } from './lean-model';
import { loadTfjsPredictor } from './tfjs-fallback';
import {
  maxAbsDiff,
  normalValues,
  saveModel,
  seededRandom,
  setSeededWeights,
  tfjsPredict,
  type SavedModel,
} from '../../tests/support/infer-models';

const TOLERANCE = 1e-5;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A 3-4-2 MLP: weights kernel [3,4], bias [4], kernel [4,2], bias [2] — 26 floats, 104 bytes. */
async function mlp(): Promise<{ model: tfl.LayersModel; saved: SavedModel; specs: WeightSpec[]; data: Uint8Array }> {
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({ units: 4, inputShape: [3], activation: 'relu', name: 'hidden' }),
      tfl.layers.dense({ units: 2, name: 'out' }),
    ],
  });
  setSeededWeights(model, seededRandom(1));
  const saved = await saveModel(model);
  return {
    model,
    saved,
    specs: saved.artifacts.weightSpecs ?? [],
    data: new Uint8Array(saved.artifacts.weightData as ArrayBuffer),
  };
}

function compileWith(topology: unknown, weightSpecs: WeightSpec[], weightData: Uint8Array) {
  return () => compileLeanModel({ modelTopology: topology, weightSpecs, weightData });
}

describe('weights that do not fit the model are bad_model', () => {
  it('a weights.bin shorter or longer than the manifest says', async () => {
    const { saved, specs, data } = await mlp();
    const topology = saved.artifacts.modelTopology;
    expect(compileWith(topology, specs, data.slice(0, 100))).toThrow(
      expect.objectContaining({
        code: 'bad_model',
        message:
          'weights.bin has 100 bytes but the weights manifest describes 104 bytes (4 weights): the weights do not belong to this model.json',
      }),
    );
    const longer = new Uint8Array(108);
    longer.set(data);
    expect(compileWith(topology, specs, longer)).toThrow(
      expect.objectContaining({ code: 'bad_model', message: expect.stringContaining('has 108 bytes') }),
    );
  });

  it('a weight the layer needs is missing from the manifest', async () => {
    const { saved, specs, data } = await mlp();
    expect(compileWith(saved.artifacts.modelTopology, specs.slice(0, 3), data.slice(0, 96))).toThrow(
      expect.objectContaining({
        code: 'bad_model',
        message: 'layer "out" (Dense) has no weight "out/bias" in the weights manifest',
        details: [
          { path: 'modelTopology.config.layers[1]', message: 'has no weight "out/bias" in the weights manifest' },
        ],
      }),
    );
  });

  it('a weight of the wrong shape', async () => {
    const { saved, specs, data } = await mlp();
    const swapped = specs.map((s) => (s.name === 'hidden/kernel' ? { ...s, shape: [4, 3] } : s));
    expect(compileWith(saved.artifacts.modelTopology, swapped, data)).toThrow(
      expect.objectContaining({
        code: 'bad_model',
        message: 'layer "hidden" (Dense) weight "hidden/kernel" has shape [4, 3], expected [3, 4]',
      }),
    );
  });

  it('a weight no layer uses, and a name listed twice', async () => {
    const { saved, specs, data } = await mlp();
    const extra = new Uint8Array(108);
    extra.set(data);
    const withExtra = [...specs, { name: 'stray/kernel', shape: [1], dtype: 'float32' as const }];
    expect(compileWith(saved.artifacts.modelTopology, withExtra, extra)).toThrow(
      expect.objectContaining({
        code: 'bad_model',
        message: 'the weights manifest has weights no layer uses: stray/kernel',
      }),
    );
    const duplicated = [...specs, { ...specs[3] }];
    const longer = new Uint8Array(112);
    longer.set(data);
    expect(compileWith(saved.artifacts.modelTopology, duplicated, longer)).toThrow(
      expect.objectContaining({
        code: 'bad_model',
        message: 'weight "out/bias" appears twice in the weights manifest',
      }),
    );
  });
});

describe('model.json that is not a Layers model is bad_model', () => {
  it('text that is not JSON', () => {
    expect(() => compileLeanModel({ modelJson: '{"modelTopology": ', weights: new Uint8Array(0) })).toThrow(
      expect.objectContaining({
        code: 'bad_model',
        message: expect.stringContaining('model model.json is not valid JSON'),
      }),
    );
  });

  it('a topology without layers, a graph model, a manifest that is not a list', () => {
    expect(compileWith({ class_name: 'Sequential', config: {} }, [], new Uint8Array(0))).toThrow(
      expect.objectContaining({
        code: 'bad_model',
        message: 'model modelTopology.config.layers must be an array',
      }),
    );
    expect(compileWith(new ArrayBuffer(8), [], new Uint8Array(0))).toThrow(
      expect.objectContaining({ code: 'bad_model' }),
    );
    expect(() =>
      compileLeanModel({
        modelJson: { modelTopology: { class_name: 'Sequential', config: { layers: [] } } } as never,
        weights: new Uint8Array(0),
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'bad_model',
        message: 'model weightsManifest must be an array of weight groups',
      }),
    );
  });

  it('a first layer without an input shape', async () => {
    const { saved, specs, data } = await mlp();
    const topology = structuredClone(saved.artifacts.modelTopology) as {
      config: { layers: { config: Record<string, unknown> }[] };
    };
    delete topology.config.layers[0].config.batch_input_shape;
    expect(compileWith(topology, specs, data)).toThrow(
      expect.objectContaining({
        code: 'bad_model',
        message: expect.stringContaining('batch_input_shape must give the input shape'),
      }),
    );
  });
});

describe('accepted artifact shapes', () => {
  it('weights as several buffers (tfjs WeightData), or as a view inside a larger buffer (a zip entry)', async () => {
    const { model, saved, specs, data } = await mlp();
    const input = normalValues(seededRandom(2), 3 * 5);
    const expected = tfjsPredict(model, input, 5);
    const split = compileLeanModel({
      modelTopology: saved.artifacts.modelTopology,
      weightSpecs: specs,
      weightData: [data.slice(0, 10).buffer, data.slice(10).buffer],
    });
    expect(maxAbsDiff(split.predict(input, 5), expected)).toBeLessThanOrEqual(TOLERANCE);
    const zip = new Uint8Array(data.length + 7);
    zip.set(data, 3);
    const view = compileLeanModel({ modelJson: saved.files.modelJson, weights: zip.subarray(3, 3 + data.length) });
    expect(maxAbsDiff(view.predict(input, 5), expected)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('quantised weights (uint8, uint16, float16) decode as tfjs decodes them', async () => {
    const { saved, specs, data } = await mlp();
    const rand = seededRandom(3);
    const kernel1 = Uint8Array.from({ length: 12 }, () => Math.floor(rand() * 256));
    // Random float16 bit patterns with exponents 8…16 (magnitudes 2^-7 … 4), plus one subnormal.
    const bias1 = Uint16Array.from({ length: 4 }, (_, i) =>
      i === 3 ? 0x8005 : (rand() < 0.5 ? 0x8000 : 0) | ((8 + Math.floor(rand() * 9)) << 10) | Math.floor(rand() * 1024),
    );
    const kernel2 = Uint16Array.from({ length: 8 }, () => Math.floor(rand() * 65536));
    const bias2 = data.slice(96, 104);
    const quantSpecs: WeightSpec[] = [
      { ...specs[0], quantization: { dtype: 'uint8', scale: 0.01, min: -1.2 } },
      { ...specs[1], quantization: { dtype: 'float16' } },
      { ...specs[2], quantization: { dtype: 'uint16', scale: 1e-4, min: -3 } },
      specs[3],
    ];
    const parts = [kernel1, new Uint8Array(bias1.buffer), new Uint8Array(kernel2.buffer), bias2];
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((offset, p) => (bytes.set(p, offset), offset + p.length), 0);
    const artifacts = {
      modelTopology: saved.artifacts.modelTopology,
      weightSpecs: quantSpecs,
      weightData: bytes.buffer,
    };
    const lean = compileLeanModel(artifacts);
    const tfjs = await loadTfjsPredictor(artifacts);
    const input = normalValues(rand, 3 * 9);
    const expected = tfjs.predict(input, 9);
    expect(maxAbsDiff(lean.predict(input, 9), expected)).toBeLessThanOrEqual(TOLERANCE);
    expect(Math.max(...expected.map(Math.abs))).toBeGreaterThan(0);
    tfjs.dispose();
  });

  it('a Keras 1 Sequential whose config is the bare list of layers', async () => {
    const { model, saved, specs, data } = await mlp();
    const topology = saved.artifacts.modelTopology as { config: { layers: unknown[] } };
    const keras1 = { ...topology, config: topology.config.layers };
    const input = normalValues(seededRandom(4), 3 * 2);
    expect(
      maxAbsDiff(
        compileLeanModel({ modelTopology: keras1, weightSpecs: specs, weightData: data }).predict(input, 2),
        tfjsPredict(model, input, 2),
      ),
    ).toBeLessThanOrEqual(TOLERANCE);
  });
});
