import { beforeAll, describe, it, expect } from 'vitest';
import { useTestBackend } from '../../tests/support/tfjs-backend';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { buildModel } from './build-model';
import { forward, penalty, trainableNet } from './forward';
import type { Head } from './head';
import { fixedModelSpec } from './spec';
import { predictRaw, weightsOf } from './synthetic.fixture';

const head: Head = { task: 'classification', labels: ['a', 'b', 'c'] };
const x = Float32Array.from({ length: 8 * 4 }, (_, i) => Math.sin(i));

beforeAll(async () => {
  await useTestBackend();
});

describe('forward', () => {
  it('in inference mode gives the logits whose softmax is model.predict', () => {
    const model = buildModel(fixedModelSpec({ hidden: [6], dropout: 0.5 }), 4, head, 3);
    const net = trainableNet(model, head);
    const proba = tf.tidy(() => Array.from(tf.softmax(forward(net, tf.tensor2d(x, [8, 4]), null)).dataSync()));
    const expected = Array.from(predictRaw(model, x, 8));
    proba.forEach((p, i) => expect(p).toBeCloseTo(expected[i], 6));
    model.dispose();
  });

  it('in training mode draws the Dropout mask from the step seed: same seed same mask, new seed new mask', () => {
    const model = buildModel(fixedModelSpec({ hidden: [32], dropout: 0.5 }), 4, head, 3);
    const net = trainableNet(model, head);
    const run = (seed: number) => tf.tidy(() => Array.from(forward(net, tf.tensor2d(x, [8, 4]), [seed]).dataSync()));
    expect(run(11)).toEqual(run(11));
    expect(run(11)).not.toEqual(run(12));
    model.dispose();
  });

  it('computes the Keras l2 penalty over the kernels only', () => {
    const model = buildModel(fixedModelSpec({ hidden: [5], l2: 0.3 }), 4, head, 3);
    const [k1, , k2] = weightsOf(model);
    const expected = 0.3 * [...k1, ...k2].reduce((s, w) => s + w * w, 0);
    const got = tf.tidy(() => penalty(trainableNet(model, head)).dataSync()[0]);
    expect(got).toBeCloseTo(expected, 5);
    model.dispose();
  });

  it('refuses a model that does not fit the head', () => {
    const model = buildModel(fixedModelSpec({ hidden: [5] }), 4, head, 3);
    expect(() => trainableNet(model, { task: 'classification', labels: ['a', 'b'] })).toThrow(
      /3 output units, the classification head needs 2/,
    );
    expect(() => trainableNet(model, { task: 'regression', targetMean: 0, targetStd: 1 })).toThrow(
      /must end in a linear Dense layer/,
    );
    model.dispose();
  });
});

describe('trainableNet', () => {
  it('refuses a layer the training loop does not train, naming it', async () => {
    const tfl = await import('@tensorflow/tfjs-layers');
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ units: 4, inputShape: [3] }),
        tfl.layers.batchNormalization({ name: 'norm' }),
        tfl.layers.dense({ units: 1 }),
      ],
    });
    expect(() => trainableNet(model, { task: 'regression', targetMean: 0, targetStd: 1 })).toThrow(
      /layer "norm" \(BatchNormalization\)/,
    );
    model.dispose();
  });

  it('reads each Dense layer with the Dropout after it and one seed slot per Dropout layer', () => {
    const model = buildModel(fixedModelSpec({ hidden: [5, 4], dropout: 0.25, activation: 'tanh' }), 4, head, 3);
    const net = trainableNet(model, head);
    expect(net.layers.map((l) => [l.activation, l.dropout, l.dropoutIndex])).toEqual([
      ['tanh', 0.25, 0],
      ['tanh', 0.25, 1],
      ['linear', 0, -1],
    ]);
    expect(net.dropoutCount).toBe(2);
    expect(net.variables.map((v) => v.shape)).toEqual([[4, 5], [5], [5, 4], [4], [4, 3], [3]]);
    model.dispose();
  });
});
