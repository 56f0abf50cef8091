/** Bad input reaches the user as a FlywheelError naming the culprit, and leaks no tensor the loop made. */
import { useTestBackend } from '../../tests/support/tfjs-backend';
import { beforeAll, describe, it, expect } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { FlywheelError } from '../errors';
import { buildModel } from './build-model';
import type { ClassificationHead, Head, RegressionHead } from './head';
import { fixedModelSpec, TrainSpecSchema, type TrainSpecInput } from './spec';
import { blobs, noisyLinear } from './synthetic.fixture';
import { trainModel } from './train';
import type { TrainOptions, TrainResult } from './train-types';

const classes: ClassificationHead = { task: 'classification', labels: ['no', 'yes'] };
const amount: RegressionHead = { task: 'regression', targetMean: 0, targetStd: 1 };

beforeAll(async () => {
  await useTestBackend();
});

type Data = Pick<TrainOptions, 'x' | 'y' | 'rows' | 'xVal' | 'yVal' | 'valRows'>;

/** Trains a small model on `data`, disposing it afterwards; returns the result or the FlywheelError. */
async function attempt(head: Head, data: Data, train: TrainSpecInput = {}): Promise<TrainResult | FlywheelError> {
  const before = tf.memory().numTensors;
  const inputDim = data.rows > 0 ? data.x.length / data.rows : 2;
  const model = buildModel(fixedModelSpec({ hidden: [4] }), inputDim, head, 1);
  try {
    return await trainModel({ model, head, ...data, spec: TrainSpecSchema.parse({ epochs: 2, ...train }) });
  } catch (e) {
    expect(tf.memory().numTensors).toBe(before + model.weights.length);
    if (e instanceof FlywheelError) return e;
    throw e;
  } finally {
    model.dispose();
  }
}

async function failure(head: Head, data: Data, train: TrainSpecInput = {}): Promise<FlywheelError> {
  const outcome = await attempt(head, data, train);
  if (!(outcome instanceof FlywheelError)) throw new Error('expected a FlywheelError');
  return outcome;
}

describe('trainModel refuses bad input', () => {
  it('with no rows', async () => {
    const e = await failure(classes, { x: new Float32Array(0), y: new Int32Array(0), rows: 0 });
    expect(e.code).toBe('bad_data');
    expect(e.message).toMatch(/no training rows/);
  });

  it('naming the row and column of a NaN or Infinity feature', async () => {
    const data = blobs(20, 1);
    data.x[7 * 2 + 1] = NaN;
    data.x[9 * 2] = Infinity;
    const e = await failure(classes, data);
    expect(e.message).toMatch(/^x row 7, column 1 is NaN \(2 non-finite cells in all\)/);
    expect(e.details).toEqual([{ path: 'x[7][1]', message: 'NaN' }]);
    const val = blobs(5, 2);
    val.x[3] = -Infinity;
    expect((await failure(classes, { ...blobs(20, 1), xVal: val.x, yVal: val.y, valRows: 5 })).message).toMatch(
      /^xVal row 1, column 1 is -Infinity/,
    );
  });

  it('naming the row of a non-finite regression target', async () => {
    const data = noisyLinear(20, 2, 1);
    data.y[12] = Infinity;
    expect((await failure(amount, data)).message).toBe('y row 12: target is Infinity');
  });

  it('naming the row of a class index out of range', async () => {
    const data = blobs(20, 1);
    data.y[4] = 2;
    const e = await failure(classes, data);
    expect(e.code).toBe('bad_data');
    expect(e.message).toBe('y row 4: class index 2 is not one of 0..1 (2 labels)');
  });

  it('naming a classWeights key that is not a label', async () => {
    const e = await failure(classes, blobs(20, 1), { classWeights: { yes: 2, maybe: 3 } });
    expect(e.code).toBe('bad_spec');
    expect(e.details).toEqual([{ path: 'train.classWeights.maybe', message: 'not a label of the target' }]);
  });

  it('when x and rows disagree, or validation rows come without data', async () => {
    const data = blobs(20, 1);
    expect((await failure(classes, { ...data, y: data.y.subarray(0, 19) })).message).toBe(
      'y has 19 values for 20 rows',
    );
    expect((await failure(classes, { ...data, valRows: 5 })).message).toMatch(
      /valRows is 5 but xVal or yVal is missing/,
    );
  });

  it('when sgd diverges with no earlier weights to fall back on', async () => {
    const e = await failure(amount, noisyLinear(64, 2, 1), {
      optimizer: 'sgd',
      learningRate: 1e20,
      earlyStopping: null,
    });
    expect(e.code).toBe('bad_spec');
    expect(e.message).toMatch(/diverged at epoch 0 .* lower train.learningRate/);
  });
});

describe('trainModel is lenient where it can be', () => {
  it('trains on fewer rows than one batch', async () => {
    const result = await attempt(classes, blobs(5, 1), { batchSize: 32 });
    expect(result).not.toBeInstanceOf(FlywheelError);
    expect((result as TrainResult).epochsRun).toBe(2);
  });

  it('trains a constant regression target and warns', async () => {
    const data = noisyLinear(20, 2, 1);
    data.y.fill(3.5);
    const result = (await attempt({ task: 'regression', targetMean: 3.5, targetStd: 1 }, data, {
      earlyStopping: null,
    })) as TrainResult;
    expect(result.warnings).toEqual([expect.stringMatching(/regression target is constant \(3.5\) on all 20 rows/)]);
    expect(Number.isFinite(result.history[1].loss)).toBe(true);
  });

  it('watches training loss, with a warning, when early stopping asks for val_loss without a validation split', async () => {
    const result = (await attempt(classes, blobs(20, 1))) as TrainResult;
    expect(result.warnings).toEqual([expect.stringMatching(/no validation split: watching training loss/)]);
    expect(result.history[0].val_loss).toBeUndefined();
  });
});
