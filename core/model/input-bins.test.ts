/**
 * Inputs cut into bins: the encoding itself, and the served model that carries it as its first layer.
 * The served model must predict on raw rows what the trained network predicts on encoded ones, in
 * tfjs and in the lean runtime on the saved files (what a bundle serves).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { useTestBackend } from '../../tests/support/tfjs-backend';
import { createPredictor } from '../infer';
import { saveLayers } from '../pipeline/train-step';
import { buildModel } from './build-model';
import type { Head } from './head';
import { encodeInputBins, fitInputBins, MAX_BIN_UNITS, withInputBins } from './input-bins';
import { fixedModelSpec } from './spec';

beforeAll(async () => {
  await useTestBackend();
});

/** Rows of [0…99 ramp, a 0/1 slot, a constant, −1/+1]. */
function table(rows: number): Float32Array {
  const x = new Float32Array(rows * 4);
  for (let r = 0; r < rows; r++) x.set([r, r % 2, 7, r % 3 === 0 ? -1 : 1], r * 4);
  return x;
}

describe('fitInputBins and encodeInputBins', () => {
  it('cuts an input at its quantiles into bins rising 0 → 1 and passes two-valued ones through as 0/1', () => {
    const bins = fitInputBins(table(101), 101, 4, 4);
    // The ramp 0…100 at quantiles 0, 25, 50, 75, 100: four bins; then the 0/1 slot, the constant, ±1.
    expect(Array.from(bins.column)).toEqual([0, 0, 0, 0, 1, 2, 3]);
    const encoded = encodeInputBins(bins, Float32Array.from([30, 1, 7, -1, 100, 0, 7, 1, -5, 0, 7, 1]), 3);
    expect(Array.from(encoded.subarray(0, 7))).toEqual([1, Math.fround(0.2), 0, 0, 1, 0, 0]);
    expect(Array.from(encoded.subarray(7, 14))).toEqual([1, 1, 1, 1, 0, 0, 1]);
    // Below the lowest edge every bin is 0; above the highest, every bin is 1.
    expect(Array.from(encoded.subarray(14, 18))).toEqual([0, 0, 0, 0]);
  });

  it('merges bins whose edges tie, so a discrete input gets one bin per step', () => {
    const x = Float32Array.from({ length: 40 }, (_, i) => i % 4);
    const bins = fitInputBins(x, 40, 1, 32);
    expect(bins.units).toBe(3);
  });

  it('never cuts a bin narrower than float32 serves exactly, and keeps an input whose values all sit close', () => {
    // 1,000 + 1e-5 steps: bins that narrow would cost the served layer (float32) whole units of error.
    const x = Float32Array.from({ length: 60 }, (_, i) => (i < 30 ? -4 : 1000 + (i % 3) * 1e-5));
    const bins = fitInputBins(x, 60, 1, 16);
    expect(bins.units).toBe(1);
    const close = Float32Array.from({ length: 30 }, (_, i) => 1 + (i % 3) * 1e-7);
    expect(fitInputBins(close, 30, 1, 16).units).toBe(1);
  });

  it(`keeps the encoded width near ${MAX_BIN_UNITS} on a wide table`, () => {
    const rows = 50;
    const dim = 200;
    // Every input takes 50 distinct values, 0.02 apart, in its own order.
    const table = (d: number) =>
      Float32Array.from({ length: rows * d }, (_, i) => ((Math.floor(i / d) * 37 + (i % d) * 11) % 50) / 50);
    // 200 inputs × 2 bins each: fewer bins per input, never fewer than 2.
    expect(fitInputBins(table(dim), rows, dim, 32).units).toBe(400);
    expect(fitInputBins(table(16), rows, 16, 64).units).toBe(16 * 32);
  });
});

describe('withInputBins', () => {
  const cases: [string, Head][] = [
    ['a classifier', { task: 'classification', labels: ['a', 'b', 'c'] }],
    ['a regressor', { task: 'regression', targetMean: 0, targetStd: 1 }],
  ];

  it.each(cases)('serves %s on raw rows as the trained network on encoded rows', async (_, head) => {
    const rows = 101;
    const x = table(rows);
    const bins = fitInputBins(x, rows, 4, 4);
    const spec = fixedModelSpec({ hidden: [8, 4] });
    const trained = buildModel(spec, bins.units, head, 3);
    const random = trained.weights.map((w, i) => tf.randomNormal(w.read().shape, 0, 0.7, 'float32', 50 + i));
    trained.setWeights(random);
    tf.dispose(random);
    const want = tf.tidy(
      () =>
        (
          trained.predict(tf.tensor2d(encodeInputBins(bins, x, rows), [rows, bins.units])) as tf.Tensor
        ).dataSync() as Float32Array,
    );

    const served = withInputBins(trained, spec, head, bins);
    expect(served.layers[0].name).toBe('input_bins');
    const viaTfjs = tf.tidy(() => (served.predict(tf.tensor2d(x, [rows, 4])) as tf.Tensor).dataSync() as Float32Array);
    viaTfjs.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-4));

    const lean = await createPredictor(await saveLayers(served), { allowFallback: false });
    expect(lean.kind).toBe('lean');
    lean.predict(x, rows).forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-4));
    lean.dispose();
    served.dispose();
    trained.dispose();
  });
});
