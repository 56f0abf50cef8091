/** The loop actually learns: small synthetic problems scored on held-out rows through model.predict. */
import { useTestBackend } from '../../tests/support/tfjs-backend';
import { beforeAll, describe, it, expect } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { buildModel } from './build-model';
import { decodeOutputs, regressionHead, type ClassificationHead } from './head';
import { fixedModelSpec, TrainSpecSchema, type ModelSpecInput } from './spec';
import { blobs, noisyLinear, predictRaw, xor, type ClassificationSet } from './synthetic.fixture';
import { trainModel } from './train';

const head: ClassificationHead = { task: 'classification', labels: ['neg', 'pos'] };

beforeAll(async () => {
  await useTestBackend();
});

async function heldOutAccuracy(
  make: (rows: number, seed: number) => ClassificationSet,
  model: ModelSpecInput,
): Promise<number> {
  const train = make(400, 1);
  const val = make(100, 2);
  const test = make(400, 3);
  const net = buildModel(fixedModelSpec(model), 2, head, 4);
  await trainModel({
    model: net,
    head,
    ...train,
    xVal: val.x,
    yVal: val.y,
    valRows: val.rows,
    spec: TrainSpecSchema.parse({ epochs: 60, learningRate: 0.02, earlyStopping: { patience: 10 } }),
  });
  const { labelIndex } = decodeOutputs(predictRaw(net, test.x, test.rows), test.rows, head);
  net.dispose();
  return labelIndex.filter((c, i) => c === test.y[i]).length / test.rows;
}

/** R² = 1 − SS_res / SS_tot on held-out rows. */
function rSquared(y: Float64Array, predicted: Float64Array): number {
  const mean = y.reduce((s, v) => s + v, 0) / y.length;
  let res = 0;
  let tot = 0;
  for (let i = 0; i < y.length; i++) {
    res += (y[i] - predicted[i]) ** 2;
    tot += (y[i] - mean) ** 2;
  }
  return 1 - res / tot;
}

describe('trainModel learns', () => {
  it('separates two Gaussian blobs with logistic regression (≥ 0.95 held-out accuracy)', async () => {
    expect(await heldOutAccuracy(blobs, { type: 'linear' })).toBeGreaterThanOrEqual(0.95);
  });

  it('solves XOR with an MLP (≥ 0.95), which a linear model cannot (< 0.8)', async () => {
    expect(await heldOutAccuracy(xor, { hidden: [16, 16], dropout: 0.1 })).toBeGreaterThanOrEqual(0.95);
    expect(await heldOutAccuracy(xor, { type: 'linear' })).toBeLessThan(0.8);
  });

  it.each([
    ['linear', { type: 'linear' }],
    ['mlp', { hidden: [16], dropout: 0 }],
  ] satisfies [string, ModelSpecInput][])(
    'fits y = 3x + 2 + noise with a %s regressor (held-out R² ≥ 0.95)',
    async (_name, spec) => {
      const train = noisyLinear(500, 1, 1, 0.2);
      const val = noisyLinear(100, 1, 2, 0.2);
      const test = noisyLinear(300, 1, 3, 0.2);
      const { head: target } = regressionHead(train.y);
      const model = buildModel(fixedModelSpec(spec), 1, target, 5);
      const result = await trainModel({
        model,
        head: target,
        ...train,
        xVal: val.x,
        yVal: val.y,
        valRows: val.rows,
        spec: TrainSpecSchema.parse({ epochs: 40, learningRate: 0.02 }),
      });
      const { values } = decodeOutputs(predictRaw(model, test.x, test.rows), test.rows, target);
      expect(rSquared(test.y, values)).toBeGreaterThanOrEqual(0.95);
      // The reported MAE is in the target's units: near the noise's mean absolute value, 0.2·√(2/π) ≈ 0.16.
      expect(result.history[result.bestEpoch].val_mae).toBeLessThan(0.3);
      model.dispose();
    },
  );
});
