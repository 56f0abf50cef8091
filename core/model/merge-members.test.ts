/**
 * A merged ensemble must predict what its members predict together: the mean of their outputs for a
 * regressor, the softmax of their mean logits for a classifier. Checked in tfjs and in the lean
 * runtime on the saved files (what a bundle serves), against the members run one by one in tfjs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { useTestBackend } from '../../tests/support/tfjs-backend';
import { createPredictor } from '../infer';
import { saveLayers } from '../pipeline/train-step';
import { buildModel } from './build-model';
import type { Head } from './head';
import { mergeMembers } from './merge-members';
import { fixedModelSpec, type FixedModelSpec } from './spec';

const TOLERANCE = 1e-5;
const INPUT_DIM = 4;
const ROWS = 16;
const species: Head = { task: 'classification', labels: ['a', 'b', 'c'] };
const price: Head = { task: 'regression', targetMean: 0, targetStd: 1 };

beforeAll(async () => {
  await useTestBackend();
});

/** A member with seeded random weights everywhere, biases included (buildModel starts them at 0). */
function member(spec: FixedModelSpec, head: Head, seed: number): tfl.Sequential {
  const model = buildModel(spec, INPUT_DIM, head, seed);
  const random = model.weights.map((w, i) => tf.randomNormal(w.read().shape, 0, 0.7, 'float32', seed * 100 + i));
  model.setWeights(random);
  tf.dispose(random);
  return model;
}

/** Each member's last Dense output (logits for a classifier), averaged; softmax for a classifier. */
function expected(members: tfl.Sequential[], x: tf.Tensor2D, head: Head): Float32Array {
  return tf.tidy(() => {
    const outs = members.map((model) => {
      const layers = head.task === 'classification' ? model.layers.slice(0, -1) : model.layers;
      return layers.reduce<tf.Tensor>((t, layer) => layer.apply(t) as tf.Tensor, x);
    });
    const mean = tf.div(tf.addN(outs), members.length);
    return (head.task === 'classification' ? tf.softmax(mean) : mean).dataSync() as Float32Array;
  });
}

function expectClose(actual: Float32Array, want: Float32Array): void {
  expect(actual.length).toBe(want.length);
  const worst = actual.reduce((w, v, i) => Math.max(w, Math.abs(v - want[i])), 0);
  expect(worst).toBeLessThan(TOLERANCE);
}

const cases: [string, FixedModelSpec, Head][] = [
  ['an MLP regressor', fixedModelSpec({ hidden: [5, 3, 2], activation: 'tanh', dropout: 0.2 }), price],
  ['an MLP classifier', fixedModelSpec({ hidden: [6, 4], activation: 'relu', dropout: 0, l2: 1e-3 }), species],
  ['a linear regressor', fixedModelSpec({ type: 'linear' }), price],
  ['a linear classifier', fixedModelSpec({ type: 'linear' }), species],
];

describe('mergeMembers', () => {
  it.each(cases)('merges %s into one model that predicts as its members together', async (_, spec, head) => {
    const members = [11, 12, 13].map((seed) => member(spec, head, seed));
    const merged = mergeMembers(members, spec, INPUT_DIM, head);
    const x = tf.randomNormal([ROWS, INPUT_DIM], 0, 1, 'float32', 7) as tf.Tensor2D;
    const want = expected(members, x, head);
    // Not the first member alone: the merge must combine them.
    expect(Math.abs(want[0] - expected(members.slice(0, 1), x, head)[0])).toBeGreaterThan(10 * TOLERANCE);

    const viaTfjs = tf.tidy(() => (merged.predict(x) as tf.Tensor).dataSync() as Float32Array);
    expectClose(viaTfjs, want);

    const files = await saveLayers(merged);
    expect(files.modelJson.modelTopology.config.layers.map((l) => l.config.name)).toEqual(
      members[0].layers.map((l) => l.name),
    );
    const lean = await createPredictor(files, { allowFallback: false });
    expect(lean.kind).toBe('lean');
    expectClose(lean.predict(x.dataSync() as Float32Array, ROWS), want);
    lean.dispose();

    tf.dispose(x);
    merged.dispose();
    members.forEach((m) => m.dispose());
  });

  it('widens each hidden layer by the number of members and keeps the output width', () => {
    const spec = fixedModelSpec({ hidden: [5, 3] });
    const members = [1, 2].map((seed) => member(spec, species, seed));
    const merged = mergeMembers(members, spec, INPUT_DIM, species);
    expect(merged.weights.map((w) => w.shape)).toEqual([[4, 10], [10], [10, 6], [6], [6, 3], [3]]);
    merged.dispose();
    members.forEach((m) => m.dispose());
  });

  it('refuses a member of another shape', () => {
    const spec = fixedModelSpec({ hidden: [5, 3] });
    const other = member(fixedModelSpec({ hidden: [5] }), price, 2);
    const one = member(spec, price, 1);
    expect(() => mergeMembers([one, other], spec, INPUT_DIM, price)).toThrow(/Dense layers/);
    one.dispose();
    other.dispose();
  });
});
