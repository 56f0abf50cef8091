import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { compileLeanModel } from './lean-model';
import {
  maxAbsDiff,
  normalValues,
  saveModel,
  seededRandom,
  setSeededWeights,
  tfjsPredict,
} from '../../tests/support/infer-models';

// The lean runtime's contract: results equal tfjs `predict` within 1e-5.
const TOLERANCE = 1e-5;
// One row, the 4-row kernel block, and counts that leave remainders around it.
const ROW_COUNTS = [1, 3, 4, 7, 33];
// Every model runs on both Dense kernels.
const KERNELS = ['js', 'wasm'] as const;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/**
 * Seeds the model's weights, saves it, and checks the lean runtime against tfjs on seeded inputs, from
 * both artifact shapes (in-memory artifacts and model.json + weights.bin), on both Dense kernels, and
 * for several row counts.
 */
async function expectMatchesTfjs(
  model: tfl.LayersModel,
  seed: number,
  inputScale = 1,
  rowCounts = ROW_COUNTS,
): Promise<void> {
  const rand = seededRandom(seed);
  setSeededWeights(model, rand);
  const { artifacts, files } = await saveModel(model);
  let largest = 0;
  for (const [source, kernel] of [
    [artifacts, 'js'],
    [files, 'wasm'],
    [artifacts, 'wasm'],
  ] as const) {
    const lean = compileLeanModel(source, { kernel });
    expect(lean.kernel).toBe(kernel);
    const tfjsShape = model.outputs[0].shape.slice(1);
    if (tfjsShape.every((d) => d !== null)) expect(lean.outputShape).toEqual(tfjsShape);
    for (const rows of rowCounts) {
      const input = normalValues(rand, rows * lean.inputDim, inputScale);
      const expected = tfjsPredict(model, input, rows);
      const got = lean.predict(input, rows);
      expect(got.length).toBe(rows * lean.outputDim);
      expect(maxAbsDiff(got, expected)).toBeLessThanOrEqual(TOLERANCE);
      largest = expected.reduce((a, v) => Math.max(a, Math.abs(v)), largest);
    }
  }
  // Guards against a vacuous pass on a model whose outputs are all zero.
  expect(largest).toBeGreaterThan(0);
}

type ActivationIdentifier = NonNullable<Parameters<typeof tfl.layers.activation>[0]['activation']>;
const ACTIVATIONS: ActivationIdentifier[] = [
  'linear',
  'relu',
  'relu6',
  'elu',
  'selu',
  'sigmoid',
  'hardSigmoid',
  'tanh',
  'softmax',
  // tfjs runs logSoftmax though its ActivationIdentifier type leaves it out.
  'logSoftmax' as ActivationIdentifier,
  'softplus',
  'softsign',
  'swish',
  'mish',
  'gelu',
  'gelu_new',
];

describe('compileLeanModel matches tfjs predict', () => {
  ACTIVATIONS.forEach((activation, i) => {
    it(`Dense with activation ${activation}`, async () => {
      const model = tfl.sequential({
        layers: [
          tfl.layers.dense({ units: 7, inputShape: [5], activation }),
          tfl.layers.dense({ units: 3, activation }),
        ],
      });
      await expectMatchesTfjs(model, 100 + i, 2.5);
    });

    it(`Activation layer ${activation}`, async () => {
      const model = tfl.sequential({
        layers: [tfl.layers.dense({ units: 6, inputShape: [4] }), tfl.layers.activation({ activation })],
      });
      await expectMatchesTfjs(model, 200 + i, 2.5);
    });
  });

  it('Dense without bias, and a single output unit', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ units: 9, inputShape: [20], useBias: false, activation: 'relu' }),
        tfl.layers.dense({ units: 1, useBias: false }),
      ],
    });
    await expectMatchesTfjs(model, 1);
  });

  for (const [center, scale] of [
    [true, true],
    [false, false],
    [true, false],
    [false, true],
  ]) {
    it(`BatchNormalization with moving statistics (center ${center}, scale ${scale})`, async () => {
      const model = tfl.sequential({
        layers: [
          tfl.layers.dense({ units: 8, inputShape: [6] }),
          tfl.layers.batchNormalization({ center, scale, epsilon: 0.01 }),
          tfl.layers.activation({ activation: 'tanh' }),
          tfl.layers.batchNormalization({}),
          tfl.layers.dense({ units: 2 }),
        ],
      });
      await expectMatchesTfjs(model, 2);
    });
  }

  it('BatchNormalization as the first layer normalises the raw input', async () => {
    const model = tfl.sequential({ layers: [tfl.layers.batchNormalization({ inputShape: [5], epsilon: 1e-5 })] });
    await expectMatchesTfjs(model, 3, 3);
  });

  it('advanced activation layers: LeakyReLU, ReLU, ELU, ThresholdedReLU, Softmax, PReLU', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ units: 8, inputShape: [5] }),
        tfl.layers.leakyReLU({ alpha: 0.2 }),
        tfl.layers.dense({ units: 8 }),
        tfl.layers.leakyReLU({}),
        tfl.layers.dense({ units: 8 }),
        tfl.layers.reLU({ maxValue: 0.7 }),
        tfl.layers.dense({ units: 8 }),
        tfl.layers.elu({}),
        tfl.layers.dense({ units: 8 }),
        tfl.layers.thresholdedReLU({ theta: 0.1 }),
        tfl.layers.dense({ units: 8 }),
        tfl.layers.prelu({}),
        tfl.layers.dense({ units: 4 }),
        tfl.layers.softmax({}),
      ],
    });
    await expectMatchesTfjs(model, 4, 2);
  });

  it('LayerNormalization', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ units: 6, inputShape: [3] }),
        tfl.layers.layerNormalization({ epsilon: 1e-4 }),
        tfl.layers.dense({ units: 5 }),
        tfl.layers.layerNormalization({ center: false, scale: false }),
      ],
    });
    await expectMatchesTfjs(model, 5);
  });

  it('Dropout and noise layers are the identity at inference', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dropout({ rate: 0.5, inputShape: [4] }),
        tfl.layers.dense({ units: 5, activation: 'selu' }),
        tfl.layers.alphaDropout({ rate: 0.3 }),
        tfl.layers.gaussianNoise({ stddev: 2 }),
        tfl.layers.gaussianDropout({ rate: 0.4 }),
        tfl.layers.dense({ units: 2 }),
      ],
    });
    await expectMatchesTfjs(model, 6);
  });

  it('a model of identity layers copies its input', async () => {
    const model = tfl.sequential({ layers: [tfl.layers.dropout({ rate: 0.5, inputShape: [3] })] });
    await expectMatchesTfjs(model, 7);
  });

  it('rows of rank 2: Dense over the last axis, per-axis layers, Flatten and Reshape', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ units: 5, inputShape: [4, 3], activation: 'relu' }),
        tfl.layers.layerNormalization({}),
        tfl.layers.batchNormalization({}),
        tfl.layers.prelu({ sharedAxes: [1] }),
        tfl.layers.softmax({ axis: -1 }),
        tfl.layers.dense({ units: 2, activation: 'softmax' }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 6 }),
        tfl.layers.reshape({ targetShape: [3, 2] }),
        tfl.layers.dense({ units: 4 }),
        // tfjs cannot infer the size of a -1 dimension for the layers after it, so this one goes last.
        tfl.layers.reshape({ targetShape: [-1] }),
      ],
    });
    await expectMatchesTfjs(model, 8);
  });

  it('a functional model that is a chain, with an explicit input layer', async () => {
    const input = tfl.input({ shape: [6] });
    let x = tfl.layers.dense({ units: 16, activation: 'relu' }).apply(input) as tfl.SymbolicTensor;
    x = tfl.layers.batchNormalization({}).apply(x) as tfl.SymbolicTensor;
    const output = tfl.layers.dense({ units: 3, activation: 'softmax' }).apply(x) as tfl.SymbolicTensor;
    await expectMatchesTfjs(tfl.model({ inputs: input, outputs: output }), 9);
  });

  it('a Sequential with an InputLayer', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.inputLayer({ inputShape: [2, 5] }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 4, activation: 'gelu' }),
      ],
    });
    await expectMatchesTfjs(model, 10);
  });

  it('batches larger than one chunk of rows', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ units: 64, inputShape: [20], activation: 'relu' }),
        tfl.layers.dense({ units: 64, activation: 'relu' }),
        tfl.layers.dense({ units: 1 }),
      ],
    });
    await expectMatchesTfjs(model, 11, 1, [1, 600, 1025]);
  });

  it('random wide stacks of Dense layers (widths 1..300, rows 1..700)', async () => {
    const rand = seededRandom(1919);
    const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
    for (let m = 0; m < 3; m++) {
      const layers: tfl.layers.Layer[] = [];
      const depth = int(1, 3);
      for (let d = 0; d < depth; d++) {
        layers.push(
          tfl.layers.dense({
            units: int(1, 300),
            activation: ACTIVATIONS[int(0, ACTIVATIONS.length - 1)],
            ...(d === 0 ? { inputShape: [int(1, 300)] } : {}),
          }),
        );
      }
      await expectMatchesTfjs(tfl.sequential({ layers }), 2000 + m, 1, [1, int(2, 15), int(257, 700)]);
    }
  });

  it('40 random architectures', async () => {
    const rand = seededRandom(42);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    for (let m = 0; m < 40; m++) {
      const layers: tfl.layers.Layer[] = [];
      const inputDim = pick([1, 3, 5, 8, 13, 20]);
      const depth = 1 + Math.floor(rand() * 4);
      for (let d = 0; d < depth; d++) {
        layers.push(
          tfl.layers.dense({
            units: pick([1, 2, 3, 4, 5, 7, 8, 16, 33]),
            activation: pick(ACTIVATIONS),
            useBias: rand() < 0.8,
            ...(d === 0 ? { inputShape: [inputDim] } : {}),
          }),
        );
        if (rand() < 0.3)
          layers.push(
            tfl.layers.batchNormalization({
              center: rand() < 0.8,
              scale: rand() < 0.8,
              epsilon: pick([1e-3, 1e-5, 0.1]),
            }),
          );
        if (rand() < 0.2) layers.push(tfl.layers.dropout({ rate: 0.25 }));
        if (rand() < 0.2) layers.push(tfl.layers.leakyReLU({ alpha: rand() }));
        if (rand() < 0.15) layers.push(tfl.layers.activation({ activation: pick(ACTIVATIONS) }));
      }
      layers.push(
        tfl.layers.dense({ units: pick([1, 2, 3, 10]), activation: pick(['linear', 'sigmoid', 'softmax'] as const) }),
      );
      await expectMatchesTfjs(tfl.sequential({ layers }), 1000 + m);
    }
  });
});

describe('LeanModel', () => {
  async function smallModel(kernel: 'js' | 'wasm' = 'wasm') {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [3], activation: 'tanh' })] });
    setSeededWeights(model, seededRandom(12));
    return compileLeanModel((await saveModel(model)).artifacts, { kernel });
  }

  it('uses the WebAssembly kernel where it is available (Node), and both kernels agree within float32 rounding', async () => {
    const model = tfl.sequential({
      layers: [tfl.layers.dense({ units: 37, inputShape: [29], activation: 'relu' }), tfl.layers.dense({ units: 11 })],
    });
    setSeededWeights(model, seededRandom(13));
    const { artifacts } = await saveModel(model);
    const auto = compileLeanModel(artifacts);
    expect(auto.kernel).toBe('wasm');
    const input = normalValues(seededRandom(14), 29 * 45);
    // float32 sums (wasm) against float64 sums rounded once (JS): outputs of this scale differ by ~1e-7.
    expect(
      maxAbsDiff(auto.predict(input, 45), compileLeanModel(artifacts, { kernel: 'js' }).predict(input, 45)),
    ).toBeLessThanOrEqual(1e-6);
  });

  it('reports its shapes and kind', async () => {
    const lean = await smallModel();
    expect(lean).toMatchObject({ kind: 'lean', inputShape: [3], outputShape: [2], inputDim: 3, outputDim: 2 });
  });

  it('uses the JS kernel where WebAssembly cannot be compiled (as on workerd)', async () => {
    const { artifacts } = await saveModel(
      tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [3] })] }),
    );
    vi.resetModules();
    vi.stubGlobal('WebAssembly', undefined);
    try {
      const fresh = await import('./lean-model');
      expect(fresh.compileLeanModel(artifacts).kernel).toBe('js');
      expect(() => fresh.compileLeanModel(artifacts, { kernel: 'wasm' })).toThrow(
        expect.objectContaining({ code: 'unsupported' }),
      );
    } finally {
      vi.unstubAllGlobals();
      vi.resetModules();
    }
  });

  it('refuses a provided kernel module that is not the Dense kernel', async () => {
    const { provideWasmDenseModule } = await import('./wasm-dense-kernel');
    // The smallest module there is: the magic number and version, no exports.
    const empty = new WebAssembly.Module(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
    expect(() => provideWasmDenseModule(empty)).toThrow(
      'the provided Dense kernel module exports nothing, not "dense"',
    );
  });

  for (const kernel of KERNELS) {
    it(`returns a fresh array per call, so earlier results survive later calls (${kernel})`, async () => {
      const lean = await smallModel(kernel);
      const first = lean.predict(new Float32Array([1, 2, 3]), 1);
      const copy = first.slice();
      lean.predict(new Float32Array([-4, 5, -6, 7, 8, 9]), 2);
      expect(first).toEqual(copy);
    });
  }

  it('predictInto writes into the given buffer and leaves the input alone', async () => {
    const lean = await smallModel();
    const input = new Float32Array([1, 2, 3, 4, 5, 6]);
    const out = new Float32Array(4);
    expect(lean.predictInto(input, 2, out)).toBe(out);
    expect(out).toEqual(lean.predict(input, 2));
    expect(input).toEqual(new Float32Array([1, 2, 3, 4, 5, 6]));
  });

  it('predicts zero rows as an empty array', async () => {
    const lean = await smallModel();
    expect(lean.predict(new Float32Array(0), 0)).toEqual(new Float32Array(0));
  });

  it('refuses input of the wrong length with bad_input', async () => {
    const lean = await smallModel();
    expect(() => lean.predict(new Float32Array(5), 2)).toThrow(
      expect.objectContaining({
        code: 'bad_input',
        message: 'predict expected 2 rows × 3 features = 6 values, got 5 values',
      }),
    );
    expect(() => lean.predict(new Float32Array(3), 1.5)).toThrow(expect.objectContaining({ code: 'bad_input' }));
    expect(() => lean.predict(new Float32Array(0), -1)).toThrow(
      expect.objectContaining({ code: 'bad_input', message: 'rows must be a non-negative integer, got -1' }),
    );
    expect(() => lean.predictInto(new Float32Array(6), 2, new Float32Array(3))).toThrow(
      expect.objectContaining({ code: 'bad_input' }),
    );
  });
});
