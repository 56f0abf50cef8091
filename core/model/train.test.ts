import { beforeAll, describe, it, expect } from 'vitest';
import { useTestBackend } from '../../tests/support/tfjs-backend';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { buildModel } from './build-model';
import type { ClassificationHead, RegressionHead } from './head';
import { fixedModelSpec, TrainSpecSchema, type ModelSpecInput, type TrainSpecInput } from './spec';
import { noise, noisyLinear, predictRaw, weightsOf, xor } from './synthetic.fixture';
import { trainModel } from './train';
import type { BatchProgress } from './train-types';

const head: ClassificationHead = { task: 'classification', labels: ['even', 'odd'] };
const frozenClock = () => 0;

beforeAll(async () => {
  await useTestBackend();
});

async function trainXor(
  buildSeed: number,
  train: TrainSpecInput,
  model: ModelSpecInput = { hidden: [8, 8], dropout: 0.2 },
) {
  const data = xor(300, 1);
  const val = xor(100, 2);
  const net = buildModel(fixedModelSpec(model), 2, head, buildSeed);
  const result = await trainModel({
    model: net,
    head,
    ...data,
    xVal: val.x,
    yVal: val.y,
    valRows: val.rows,
    spec: TrainSpecSchema.parse({ epochs: 4, batchSize: 16, earlyStopping: null, ...train }),
    now: frozenClock,
  });
  const weights = weightsOf(net);
  net.dispose();
  return { history: result.history, weights };
}

/** Mean categorical cross-entropy of probabilities [rows, k] against class indices, computed in plain JS. */
function crossEntropy(proba: Float32Array, y: Int32Array, k: number): number {
  let sum = 0;
  for (let i = 0; i < y.length; i++) sum -= Math.log(proba[i * k + y[i]]);
  return sum / y.length;
}

describe('trainModel reproducibility', () => {
  it('gives identical history and weights for the same seeds, dropout included', async () => {
    const a = await trainXor(7, { seed: 5 });
    const b = await trainXor(7, { seed: 5 });
    expect(a.history).toEqual(b.history);
    expect(a.weights).toEqual(b.weights);
  });

  it('gives different results for another train seed (shuffle, dropout) or build seed (initialisation)', async () => {
    const base = await trainXor(7, { seed: 5 });
    const otherTrain = await trainXor(7, { seed: 6 });
    const otherBuild = await trainXor(8, { seed: 5 });
    expect(otherTrain.weights).not.toEqual(base.weights);
    expect(otherTrain.history[3].loss).not.toBe(base.history[3].loss);
    expect(otherBuild.weights).not.toEqual(base.weights);
  });
});

describe('trainModel early stopping', () => {
  it('stops on rising val_loss and restores the weights of the best epoch', async () => {
    // Random labels: a wide net memorises the 40 training rows while validation loss climbs.
    const train = noise(40, 5, 2, 3);
    const val = noise(200, 5, 2, 4);
    const model = buildModel(fixedModelSpec({ hidden: [64, 64], dropout: 0 }), 5, head, 1);
    const result = await trainModel({
      model,
      head,
      ...train,
      xVal: val.x,
      yVal: val.y,
      valRows: val.rows,
      now: frozenClock,
      spec: TrainSpecSchema.parse({ epochs: 60, learningRate: 0.01, earlyStopping: { patience: 5 } }),
    });
    expect(result.stoppedEarly).toBe(true);
    expect(result.epochsRun).toBe(result.bestEpoch + 6);
    const last = result.history[result.epochsRun - 1].val_loss as number;
    const best = result.history[result.bestEpoch].val_loss as number;
    expect(last).toBeGreaterThan(best + 0.05);
    // Scored through stock model.predict, independently of the loop's own evaluation.
    const restored = crossEntropy(predictRaw(model, val.x, val.rows), val.y, 2);
    expect(restored).toBeCloseTo(best, 5);
    model.dispose();
  });

  it('with early stopping off keeps the last weights and runs every epoch', async () => {
    const train = noise(40, 5, 2, 3);
    const val = noise(200, 5, 2, 4);
    const model = buildModel(fixedModelSpec({ hidden: [64, 64], dropout: 0 }), 5, head, 1);
    const result = await trainModel({
      model,
      head,
      ...train,
      xVal: val.x,
      yVal: val.y,
      valRows: val.rows,
      now: frozenClock,
      spec: TrainSpecSchema.parse({ epochs: 15, learningRate: 0.01, earlyStopping: null }),
    });
    expect(result).toMatchObject({ stoppedEarly: false, epochsRun: 15, bestEpoch: 14 });
    expect(crossEntropy(predictRaw(model, val.x, val.rows), val.y, 2)).toBeCloseTo(
      result.history[14].val_loss as number,
      5,
    );
    model.dispose();
  });
});

describe('trainModel time budget (stopAt)', () => {
  it('starts no epoch that would end after stopAt, judged by the last epoch, and says so', async () => {
    // Each read of the clock moves it 10 ms: every epoch takes the same time on it.
    let t = 0;
    const clock = () => (t += 10);
    const data = xor(64, 1);
    const model = buildModel(fixedModelSpec({ hidden: [4] }), 2, head, 1);
    const stopAt = 1_015;
    const ends: number[] = [];
    const result = await trainModel({
      model,
      head,
      ...data,
      now: clock,
      stopAt,
      onEpoch: () => void ends.push(t),
      spec: TrainSpecSchema.parse({ epochs: 500, batchSize: 64, earlyStopping: null }),
    });
    model.dispose();
    const epochMs = ends[1] - ends[0];
    expect(result.stoppedEarly).toBe(true);
    expect(result.epochsRun).toBe(ends.length);
    // The last epoch ended before the deadline, and one more would have crossed it.
    expect(ends.at(-1)!).toBeLessThanOrEqual(stopAt);
    expect(ends.at(-1)! + 2 * epochMs).toBeGreaterThan(stopAt);
    expect(result.warnings.join()).toContain('the time budget was spent');
  });
});

describe('trainModel cancellation', () => {
  it('stops before the next batch when aborted mid-epoch, rejects with "cancelled" and frees every tensor it made', async () => {
    const before = tf.memory().numTensors;
    const data = xor(320, 1);
    const model = buildModel(fixedModelSpec({}), 2, head, 1);
    const controller = new AbortController();
    const seen: BatchProgress[] = [];
    let afterAbort = 0;
    const run = trainModel({
      model,
      head,
      ...data,
      spec: TrainSpecSchema.parse({ epochs: 5, batchSize: 32 }),
      signal: controller.signal,
      yieldEvery: 1,
      onBatch: (p) => {
        if (controller.signal.aborted) afterAbort++;
        seen.push(p);
        if (p.epoch === 1 && p.batch === 3) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'cancelled', message: 'training cancelled at epoch 1, batch 3' });
    expect(afterAbort).toBe(0);
    expect(seen.length).toBe(10 + 3);
    expect(tf.memory().numTensors).toBe(before + model.weights.length);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops within one batch of an abort that arrives from the event loop', async () => {
    const data = xor(320, 1);
    const model = buildModel(fixedModelSpec({}), 2, head, 1);
    const controller = new AbortController();
    let afterAbort = 0;
    let batches = 0;
    const run = trainModel({
      model,
      head,
      ...data,
      spec: TrainSpecSchema.parse({ epochs: 1000, earlyStopping: null }),
      signal: controller.signal,
      yieldEvery: 1,
      onBatch: () => {
        batches++;
        if (controller.signal.aborted) afterAbort++;
        if (batches === 15) setTimeout(() => controller.abort(), 0);
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(afterAbort).toBe(0);
    model.dispose();
  });
});

describe('trainModel memory', () => {
  it('leaves only the model weights behind (classification: dropout, l2, class weights, validation)', async () => {
    const before = tf.memory().numTensors;
    const data = xor(200, 1);
    const val = xor(50, 2);
    const model = buildModel(fixedModelSpec({ hidden: [8, 8], dropout: 0.3, l2: 0.001 }), 2, head, 1);
    const weights = model.weights.length;
    await trainModel({
      model,
      head,
      ...data,
      xVal: val.x,
      yVal: val.y,
      valRows: val.rows,
      spec: TrainSpecSchema.parse({ epochs: 6, classWeights: 'balanced', earlyStopping: { patience: 2 } }),
    });
    expect(tf.memory().numTensors).toBe(before + weights);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('leaves only the model weights behind (regression with rmsprop, no validation)', async () => {
    const before = tf.memory().numTensors;
    const data = noisyLinear(200, 3, 1);
    const regression: RegressionHead = { task: 'regression', targetMean: 2, targetStd: 1.7 };
    const model = buildModel(fixedModelSpec({ hidden: [8] }), 3, regression, 1);
    const weights = model.weights.length;
    await trainModel({
      model,
      head: regression,
      ...data,
      spec: TrainSpecSchema.parse({ epochs: 3, optimizer: 'rmsprop' }),
    });
    expect(tf.memory().numTensors).toBe(before + weights);
    model.dispose();
  });
});
