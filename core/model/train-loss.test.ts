/**
 * The loop's reported loss and metrics against the same quantities computed in plain JS from
 * model.predict. A learning rate of 1e-30 leaves the weights as built, and one batch per epoch makes
 * the epoch loss the loss of the initial model on every row.
 */
import { beforeAll, describe, it, expect } from 'vitest';
import { useTestBackend } from '../../tests/support/tfjs-backend';
import '@tensorflow/tfjs-backend-cpu';
import { buildModel } from './build-model';
import { regressionHead, type ClassificationHead } from './head';
import { fixedModelSpec, TrainSpecSchema } from './spec';
import { noise, noisyLinear, predictRaw, weightsOf } from './synthetic.fixture';
import { trainModel } from './train';

const frozen = TrainSpecSchema.parse({
  epochs: 1,
  batchSize: 1000,
  learningRate: 1e-30,
  optimizer: 'sgd',
  earlyStopping: null,
});

beforeAll(async () => {
  await useTestBackend();
});

describe('trainModel loss', () => {
  it('is class-weighted cross-entropy for training, unweighted for validation, with accuracy', async () => {
    const head: ClassificationHead = { task: 'classification', labels: ['a', 'b', 'c'] };
    const data = noise(90, 4, 3, 1);
    // Skew the classes so that balanced weights differ from 1.
    for (let i = 0; i < 40; i++) data.y[i] = 0;
    const model = buildModel(fixedModelSpec({ hidden: [6], dropout: 0 }), 4, head, 2);
    const proba = predictRaw(model, data.x, data.rows);
    const counts = [0, 0, 0];
    data.y.forEach((c) => counts[c]++);
    const weight = counts.map((c) => data.rows / (3 * c));
    let weighted = 0;
    let plain = 0;
    let correct = 0;
    for (let i = 0; i < data.rows; i++) {
      const ce = -Math.log(proba[i * 3 + data.y[i]]);
      weighted += weight[data.y[i]] * ce;
      plain += ce;
      const row = Array.from(proba.subarray(i * 3, i * 3 + 3));
      if (row.indexOf(Math.max(...row)) === data.y[i]) correct++;
    }
    const result = await trainModel({
      model,
      head,
      ...data,
      xVal: data.x,
      yVal: data.y,
      valRows: data.rows,
      spec: { ...frozen, classWeights: 'balanced' },
    });
    const [epoch] = result.history;
    expect(epoch.loss).toBeCloseTo(weighted / data.rows, 5);
    expect(epoch.val_loss).toBeCloseTo(plain / data.rows, 5);
    expect(epoch.loss).not.toBeCloseTo(epoch.val_loss as number, 2);
    expect(epoch.accuracy).toBeCloseTo(correct / data.rows, 10);
    expect(epoch.val_accuracy).toBeCloseTo(correct / data.rows, 10);
    model.dispose();
  });

  it('is MSE on the standardised target plus the l2 penalty, with MAE in the target units', async () => {
    const data = noisyLinear(50, 3, 4, 0.5);
    for (let i = 0; i < data.rows; i++) data.y[i] = 100 + 40 * data.y[i];
    const { head } = regressionHead(data.y);
    const model = buildModel(fixedModelSpec({ hidden: [5], dropout: 0, l2: 0.02 }), 3, head, 9);
    const out = predictRaw(model, data.x, data.rows);
    const [k1, , k2] = weightsOf(model);
    const l2 = 0.02 * [...k1, ...k2].reduce((s, w) => s + w * w, 0);
    let mse = 0;
    let mae = 0;
    for (let i = 0; i < data.rows; i++) {
      mse += (out[i] - (data.y[i] - head.targetMean) / head.targetStd) ** 2;
      mae += Math.abs(out[i] * head.targetStd + head.targetMean - data.y[i]);
    }
    const result = await trainModel({
      model,
      head,
      ...data,
      xVal: data.x,
      yVal: data.y,
      valRows: data.rows,
      spec: frozen,
    });
    const [epoch] = result.history;
    expect(epoch.loss).toBeCloseTo(mse / data.rows + l2, 4);
    expect(epoch.val_loss).toBeCloseTo(mse / data.rows + l2, 4);
    expect(epoch.mae).toBeCloseTo(mae / data.rows, 3);
    expect(epoch.val_mae).toBeCloseTo(mae / data.rows, 3);
    expect(epoch.accuracy).toBeUndefined();
    model.dispose();
  });
});
