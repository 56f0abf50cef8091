import { beforeAll, describe, it, expect } from 'vitest';
import { useTestBackend } from '../../tests/support/tfjs-backend';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import { stepTerms } from './backprop';
import { hostSplit, deviceSplit, type SplitTensors } from './device-split';
import { forward, trainableNet, type DenseActivation } from './forward';
import type { Head } from './head';

const classifier: Head = { task: 'classification', labels: ['a', 'b', 'c'] };
const regressor: Head = { task: 'regression', targetMean: 1, targetStd: 2 };
const ROWS = 12;
const FEATURES = 5;
const x = Float32Array.from({ length: ROWS * FEATURES }, (_, i) => Math.sin(i * 1.7) * 2);
const classes = Int32Array.from({ length: ROWS }, (_, i) => (i * 7) % 3);
const values = Float64Array.from({ length: ROWS }, (_, i) => Math.cos(i) * 3 + 1);
const rowWeights = Float32Array.from({ length: ROWS }, (_, i) => 0.5 + (i % 4) * 0.3);
const index = Int32Array.from([3, 0, 7, 7, 11, 5, 2, 9]);

beforeAll(async () => {
  await useTestBackend();
});

/** A Sequential as buildModel shapes it, with any activation, Dropout and L1/L2 penalty. */
function model(head: Head, activation: DenseActivation, dropout: number, l1: number, l2: number): tfl.Sequential {
  const m = tfl.sequential();
  const kernelRegularizer = l1 > 0 || l2 > 0 ? tfl.regularizers.l1l2({ l1, l2 }) : undefined;
  [7, 6].forEach((units, i) => {
    m.add(
      tfl.layers.dense({
        units,
        activation,
        kernelRegularizer,
        biasInitializer: tfl.initializers.randomNormal({ seed: 40 + i }),
        kernelInitializer: tfl.initializers.glorotNormal({ seed: 10 + i }),
        ...(i === 0 ? { inputShape: [FEATURES] } : {}),
      }),
    );
    if (dropout > 0) m.add(tfl.layers.dropout({ rate: dropout }));
  });
  const k = head.task === 'classification' ? head.labels.length : 1;
  m.add(
    tfl.layers.dense({ units: k, kernelRegularizer, kernelInitializer: tfl.initializers.glorotNormal({ seed: 3 }) }),
  );
  if (head.task === 'classification') m.add(tfl.layers.activation({ activation: 'softmax' }));
  return m;
}

/** The same cost through tfjs's autodiff: forward (checked against model.predict in forward.test.ts), the loss, the penalty. */
function autodiffCost(
  net: ReturnType<typeof trainableNet>,
  batch: SplitTensors,
  head: Head,
  seeds: number[],
  l1: number,
  l2: number,
): tf.Scalar {
  const out = forward(net, batch.x, seeds);
  let loss: tf.Scalar;
  if (head.task === 'classification') {
    let perRow = tf.sub(tf.logSumExp(out, 1), tf.sum(tf.mul(batch.target, out), 1));
    if (batch.weights) perRow = tf.mul(perRow, batch.weights);
    loss = tf.mean(perRow);
  } else {
    loss = tf.mean(tf.square(tf.sub(out, batch.target)));
  }
  for (const layer of net.layers) {
    loss = tf.add(loss, tf.add(tf.mul(l1, tf.sum(tf.abs(layer.kernel))), tf.mul(l2, tf.sum(tf.square(layer.kernel)))));
  }
  return loss;
}

const cases: [string, Head, DenseActivation, number, number, number, boolean][] = [
  ['relu classifier with class weights', classifier, 'relu', 0, 0, 0, true],
  ['relu classifier with Dropout', classifier, 'relu', 0.4, 0, 0, false],
  ['elu classifier with l2', classifier, 'elu', 0, 0, 0.05, false],
  ['selu classifier with l1', classifier, 'selu', 0, 0.03, 0, true],
  ['tanh regressor with Dropout and l2', regressor, 'tanh', 0.3, 0, 0.02, false],
  ['sigmoid regressor with l1 and l2', regressor, 'sigmoid', 0, 0.01, 0.02, false],
];

describe('stepTerms', () => {
  it.each(cases)(
    'gives the cost and gradients tfjs autodiff gives: %s',
    (_, head, activation, dropout, l1, l2, weighted) => {
      const m = model(head, activation, dropout, l1, l2);
      const net = trainableNet(m, head);
      const y = head.task === 'classification' ? classes : values;
      const split = hostSplit(x, y, ROWS, FEATURES, head, weighted ? rowWeights : null);
      const seeds = Array.from({ length: net.dropoutCount }, (_, i) => 17 + i);
      const [ours, theirs] = tf.tidy(() => {
        const batch = split.gather(index);
        const terms = stepTerms(net, batch, head, seeds);
        const reference = tf.variableGrads(() => autodiffCost(net, batch, head, seeds, l1, l2), net.variables);
        return [
          [terms.cost, ...terms.grads].map((t) => Array.from(t.dataSync())),
          [reference.value, ...net.variables.map((v) => reference.grads[v.name])].map((t) => Array.from(t.dataSync())),
        ];
      });
      expect(ours.map((t) => t.length)).toEqual(theirs.map((t) => t.length));
      ours.forEach((t, i) => t.forEach((g, j) => expect(g).toBeCloseTo(theirs[i][j], 5)));
      // The comparison means something only if the gradients are not all zero.
      expect(
        ours
          .slice(1)
          .flat()
          .filter((g) => Math.abs(g) > 1e-3).length,
      ).toBeGreaterThan(20);
      m.dispose();
    },
  );

  it('counts correct predictions (classification) and absolute error in target units (regression)', () => {
    for (const head of [classifier, regressor]) {
      const m = model(head, 'relu', 0, 0, 0);
      const net = trainableNet(m, head);
      const y = head.task === 'classification' ? classes : values;
      const split = hostSplit(x, y, ROWS, FEATURES, head, null);
      const [metric, out] = tf.tidy(() => {
        const batch = split.gather(index);
        return [
          stepTerms(net, batch, head, []).metricSum.dataSync()[0],
          Array.from(forward(net, batch.x, null).dataSync()),
        ];
      });
      let expected = 0;
      index.forEach((row, i) => {
        if (head.task === 'classification') {
          const logits = out.slice(i * 3, i * 3 + 3);
          expected += logits.indexOf(Math.max(...logits)) === classes[row] ? 1 : 0;
        } else {
          expected += Math.abs(out[i] * head.targetStd + head.targetMean - values[row]);
        }
      });
      expect(metric).toBeCloseTo(expected, 4);
      m.dispose();
    }
  });
});

describe('splits', () => {
  it('give the same batches and chunks whether kept in host memory or uploaded', () => {
    const host = hostSplit(x, classes, ROWS, FEATURES, classifier, rowWeights);
    const device = deviceSplit(x, classes, ROWS, FEATURES, classifier, rowWeights);
    const read = (t: SplitTensors) =>
      [t.x, t.target, t.labels, t.weights].map((v) =>
        v ? { shape: v.shape, values: Array.from(v.dataSync()) } : null,
      );
    tf.tidy(() => {
      expect(read(host.gather(index))).toEqual(read(device.gather(index)));
      expect(read(host.chunk(4, 5))).toEqual(read(device.chunk(4, 5)));
      expect(read(host.gather(index))[0]?.values.slice(0, FEATURES)).toEqual(Array.from(x.subarray(15, 20)));
    });
    device.dispose();
  });
});
