import { describe, expect, it } from 'vitest';
import { FlywheelError } from '../errors';
import { classificationMetrics } from './classification';
import { MISSING_SLICE, metricsBySlice, sliceRows } from './slices';
import { SLICES_REFERENCE } from './slices.reference';
import { classificationMetricsBySlice, regressionMetricsBySlice } from './task-slices';

const yTrue = Int32Array.from(SLICES_REFERENCE.yTrue);
const proba = Float32Array.from(SLICES_REFERENCE.scores.flatMap((s) => [1 - s, s]));
// Rows by region: north 0,2,5,8; south 1,4,6,9; missing 3,7; "east" has no rows.
const region = Int32Array.from(SLICES_REFERENCE.region);
const regions = ['north', 'south', 'east'];

describe('sliceRows', () => {
  it('groups rows in dictionary order, missing last, empty categories left out', () => {
    const slices = sliceRows(region, regions);
    expect(slices.map((s) => s.slice)).toEqual(['north', 'south', MISSING_SLICE]);
    expect(slices.map((s) => Array.from(s.indices))).toEqual([
      [0, 2, 5, 8],
      [1, 4, 6, 9],
      [3, 7],
    ]);
  });

  it('refuses a code outside the dictionary, naming the row', () => {
    let caught: unknown;
    try {
      sliceRows(Int32Array.from([0, 3]), regions);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(FlywheelError);
    expect((caught as FlywheelError).details[0].path).toBe('groupCodes[1]');
  });
});

describe('metricsBySlice', () => {
  it('runs any computation on each slice with its size', () => {
    const positives = metricsBySlice(region, regions, (rows) => rows.reduce((n, r) => n + yTrue[r], 0));
    expect(positives).toEqual([
      { slice: 'north', size: 4, metrics: 3 },
      { slice: 'south', size: 4, metrics: 0 },
      { slice: MISSING_SLICE, size: 2, metrics: 2 },
    ]);
  });

  it('gives full classification metrics per slice, with undefined ones null', () => {
    const [north, south, missing] = classificationMetricsBySlice(region, regions, yTrue, proba, ['no', 'yes']);
    expect(north.metrics.values.accuracy).toBe(0.5);
    expect(north.metrics.values.roc_auc).toBe(1);
    expect(north.metrics.values.log_loss).toBeCloseTo(SLICES_REFERENCE.northLogLoss, 9);
    expect(south.metrics.values.roc_auc).toBeNull();
    expect(south.metrics.reasons.roc_auc).toMatch(/only one class/);
    expect(missing.size).toBe(2);
    expect(missing.metrics.values.accuracy).toBe(1);
    // The whole-set call on the same rows agrees with the slice.
    const rows = [3, 7];
    const direct = classificationMetrics(
      Int32Array.from(rows, (r) => yTrue[r]),
      Float32Array.from(rows.flatMap((r) => [proba[2 * r], proba[2 * r + 1]])),
      ['no', 'yes'],
    );
    expect(missing.metrics).toEqual(direct);
  });

  it('gives regression metrics per slice', () => {
    const { groups, yTrue: target, yPred, mae } = SLICES_REFERENCE.regression;
    const slices = regressionMetricsBySlice(
      Int32Array.from(groups),
      ['a', 'b'],
      Float64Array.from(target),
      Float64Array.from(yPred),
    );
    expect(slices.map((s) => [s.slice, s.size, s.metrics.values.mae])).toEqual([
      ['a', 3, mae[0]],
      ['b', 2, mae[1]],
    ]);
  });

  it('checks inputs on the whole set, so errors name rows as the caller numbers them', () => {
    const bad = Float32Array.from(proba);
    bad[2 * 9] = NaN;
    expect(() => classificationMetricsBySlice(region, regions, yTrue, bad, ['no', 'yes'])).toThrow(/proba row 9/);
    expect(() => classificationMetricsBySlice(region.subarray(1), regions, yTrue, proba, ['no', 'yes'])).toThrow(
      /slice column has 9 rows/,
    );
  });
});
