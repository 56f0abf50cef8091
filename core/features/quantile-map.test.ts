import { describe, expect, it } from 'vitest';
import { tableFromRecords } from '../data/table-from-cells';
import { encodeRows, encodeTable } from './encode';
import { fitTransform } from './fit-transform';
import { inferSchema } from './infer-schema';
import { fitQuantiles, normalQuantile, QUANTILE_KNOTS, quantileNormal, skewness } from './quantile-map';
import { NORMAL_QUANTILE_CASES, QUANTILE_TRANSFORM_CASE, SKEWNESS_CASES } from './quantile-map.reference';
import { transformOptionsSchema } from './transform-spec';

function closeTo(actual: number, expected: number, relative: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.max(1, Math.abs(expected)));
}

describe('the quantile transform', () => {
  it("computes the normal quantile as SciPy's norm.ppf does", () => {
    for (const { p, z } of NORMAL_QUANTILE_CASES) closeTo(normalQuantile(p), z, 1e-14);
  });

  it("maps values as scikit-learn's QuantileTransformer(output_distribution='normal') does, ties and bounds included", () => {
    const { column, values, normal } = QUANTILE_TRANSFORM_CASE;
    const knots = fitQuantiles(column, column.length);
    expect(knots).toEqual([...column].sort((a, b) => a - b));
    // scikit-learn clips at a bound a hair (2.2e-16) inside ours: 1e-10 relative at ±5.2. On the
    // tie (2, at ranks 3/9…5/9) numpy.interp's reading of repeated knots gives rank 1/2; ours is
    // their middle, 4/9.
    values.forEach((v, i) => {
      if (v !== 2) closeTo(quantileNormal(v, knots), normal[i], 1e-10);
    });
    closeTo(quantileNormal(2, knots), normalQuantile(4 / 9), 1e-14);
  });

  it('gives a run of tied values at the minimum the middle of their ranks', () => {
    const knots = fitQuantiles([0, 0, 0, 0, 0, 1, 2, 3, 10, 50], 10);
    closeTo(quantileNormal(0, knots), normalQuantile(2 / 9), 1e-14);
    expect(quantileNormal(-1, knots)).toBeLessThan(-5);
  });

  it('keeps at most QUANTILE_KNOTS knots, interpolated as numpy.quantile', () => {
    // numpy.quantile(np.arange(1000) ** 2, [0, 1 / 200, 1 / 2, 1]): 0, 24.955, 249500.5, 998001.
    const nums = Array.from({ length: 1000 }, (_, i) => (999 - i) ** 2);
    const knots = fitQuantiles(nums);
    expect(knots).toHaveLength(QUANTILE_KNOTS);
    expect(knots[0]).toBe(0);
    expect(knots[1]).toBeCloseTo(24.955, 10);
    expect(knots[100]).toBe(249500.5);
    expect(knots[QUANTILE_KNOTS - 1]).toBe(998001);
  });

  it('measures skewness as scipy.stats.skew', () => {
    for (const { values, skewness: s } of SKEWNESS_CASES) closeTo(skewness(values), s, 1e-12);
  });

  it('calls a constant column unskewed, whatever its rounding', () => {
    // 0.1 is no double: deviations from the rounded mean all share a sign, a skewness of ±1 by arithmetic.
    expect(skewness(Array<number>(1000).fill(0.1))).toBe(0);
  });
});

describe('transform.numeric', () => {
  const rows = Array.from({ length: 200 }, (_, i) => ({
    rain: i % 2 === 0 ? 0 : Math.exp(i / 40), // half zeros, then a long tail: skewness ≫ 1
    temp: 10 + (i % 20), // uniform: skewness 0
  }));
  const table = tableFromRecords(rows);
  const schema = inferSchema(table).columns;

  it('by default (auto) maps a skewed column through its quantiles and standardises the rest', () => {
    const { transform } = fitTransform(table, schema, transformOptionsSchema.parse({}));
    const [rain, temp] = transform.features;
    expect(rain).toMatchObject({ kind: 'numeric', scaling: { center: 0, scale: 1 } });
    expect(rain.kind === 'numeric' && rain.quantiles?.length).toBe(Math.min(QUANTILE_KNOTS, 200));
    expect(temp.kind === 'numeric' && temp.quantiles).toBeUndefined();
    const x = encodeTable(transform, table);
    const rainOut = Array.from({ length: 200 }, (_, i) => x[i * 2]);
    // Every zero shares one value, the middle of their ranks; the tail spreads over the upper half.
    expect(new Set(rainOut.filter((_, i) => i % 2 === 0)).size).toBe(1);
    expect(Math.max(...rainOut)).toBeLessThan(5.3);
    const tempOut = Array.from({ length: 200 }, (_, i) => x[i * 2 + 1]);
    expect(tempOut.reduce((a, b) => a + b, 0) / 200).toBeCloseTo(0, 5);
  });

  it('serves what it trained on: rows, missing values and a JSON round trip encode alike', () => {
    const { transform } = fitTransform(table, schema, transformOptionsSchema.parse({ numeric: 'quantile' }));
    expect(transform.features.every((f) => f.kind === 'numeric' && f.quantiles)).toBe(true);
    const copy = JSON.parse(JSON.stringify(transform));
    expect(encodeRows(copy, rows.slice(0, 20))).toEqual(encodeTable(transform, table).subarray(0, 40));
    const fill = transform.features[0].kind === 'numeric' ? transform.features[0].fill : NaN;
    expect(encodeRows(copy, [{ rain: null, temp: '12' }])).toEqual(encodeRows(copy, [{ rain: fill, temp: 12 }]));
    expect(() => encodeRows(copy, [{ rain: 'lots', temp: 12 }])).toThrow(/rain.*expected a number, got "lots"/s);
  });

  it('leaves a constant column at scale 1, so a new value does not blow up', () => {
    const constant = tableFromRecords(Array.from({ length: 1000 }, () => ({ c: 0.1 })));
    const { transform } = fitTransform(constant, inferSchema(constant).columns, transformOptionsSchema.parse({}));
    expect(transform.features[0]).toMatchObject({ kind: 'numeric', scaling: { scale: 1 } });
    expect(transform.features[0].kind === 'numeric' && transform.features[0].quantiles).toBeUndefined();
    expect(Math.abs(encodeRows(transform, [{ c: 0.2 }])[0])).toBeLessThan(1);
  });

  it("still standardises every column when told to ('standardize')", () => {
    const { transform } = fitTransform(table, schema, transformOptionsSchema.parse({ numeric: 'standardize' }));
    expect(transform.features.some((f) => f.kind === 'numeric' && f.quantiles)).toBe(false);
  });
});
