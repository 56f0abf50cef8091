import { describe, expect, it } from 'vitest';
import { takeRows, type Table } from '../data/table';
import { tableFromRecords } from '../data/table-from-cells';
import { seededRandom, normal } from '../random';
import { mergeProfiles } from './merge-profiles';
import { profileTable, type NumericProfile, type StringProfile } from './profile';
import { quantileSorted, reservoirSample } from './reservoir';

function syntheticTable(rows: number, seed: number): Table {
  const random = seededRandom(seed);
  const colours = ['red', 'green', 'blue', 'violet'];
  return tableFromRecords(
    Array.from({ length: rows }, (_, i) => ({
      x: i % 17 === 0 ? null : normal(random) * 3 + 10,
      n: Math.floor(random() * 12),
      c: i % 23 === 0 ? null : colours[Math.floor(random() ** 2 * colours.length)],
    })),
  );
}

const range = (a: number, b: number) => Int32Array.from({ length: b - a }, (_, i) => a + i);

describe('profileTable', () => {
  it('computes counts, moments and exact quantiles of small data', () => {
    const t = tableFromRecords([1, 2, 3, 4, null, 10].map((x) => ({ x })));
    const p = profileTable(t).columns[0] as NumericProfile;
    expect(p).toMatchObject({ count: 5, missing: 1, min: 1, max: 10, mean: 4, integer: true });
    // pandas: Series([1,2,3,4,10]).std() == 3.5355339059327378
    expect(p.std).toBeCloseTo(3.5355339059327378, 12);
    expect(p.quantiles['0.5']).toBe(3);
    expect(p.quantiles['0.25']).toBe(2);
    expect(p.histogram.counts.reduce((a, b) => a + b, 0)).toBe(5);
    expect(p.distinct).toBe(5);
  });

  it('counts categories and their top-k', () => {
    const t = tableFromRecords(['a', 'b', 'a', null, 'c', 'a'].map((c) => ({ c })));
    const p = profileTable(t).columns[0] as StringProfile;
    expect(p).toMatchObject({ count: 5, missing: 1, distinct: 3, counts: { a: 3, b: 1, c: 1 }, other: 0 });
    expect(p.top[0]).toEqual({ value: 'a', count: 3 });
  });

  it('computes exact quantiles of a column of any size, as pandas does', () => {
    // Ids 0…199,999 in a shuffled order: pandas' median is 99,999.5 and its 1% quantile 1,999.99.
    const ids = Float64Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 200_000);
    const p = profileTable({ rowCount: ids.length, columns: [{ kind: 'number', name: 'id', values: ids }] })
      .columns[0] as NumericProfile;
    expect(p.quantilesExact).toBe(true);
    expect(p.quantiles['0.5']).toBe(99_999.5);
    expect(p.quantiles['0.01']).toBeCloseTo(1_999.99, 9);
    expect(p.quantiles['0.75']).toBe(149_999.25);
  });

  it('without a sketch (to show, not to merge) gives the same exact quantiles by selection', () => {
    const random = seededRandom(5);
    const values = Float64Array.from({ length: 30_000 }, (_, i) => (i % 11 === 0 ? NaN : random() * 100 - 20));
    const t = { rowCount: values.length, columns: [{ kind: 'number' as const, name: 'x', values }] };
    const { sketch, ...withSketch } = profileTable(t).columns[0] as NumericProfile;
    expect(sketch?.n).toBe(30_000 - Math.ceil(30_000 / 11));
    expect(profileTable(t, { sketch: false }).columns[0]).toEqual(withSketch);
    // Merging profiles without sketches still works, from the merged sample (approximate).
    const merged = mergeProfiles(
      profileTable(t, { sketch: false }),
      profileTable(t, { sketch: false, binsFrom: profileTable(t) }),
    ).columns[0] as NumericProfile;
    expect(merged.quantilesExact).toBe(false);
    expect(merged.sketch).toBeUndefined();
    expect(Math.abs(merged.quantiles['0.5'] - withSketch.quantiles['0.5'])).toBeLessThan(5);
  });

  it('estimates distinct counts of large columns within HyperLogLog error', () => {
    const t = tableFromRecords(Array.from({ length: 50_000 }, (_, i) => ({ x: i % 20_000 })));
    const p = profileTable(t).columns[0] as NumericProfile;
    expect(Math.abs(p.distinct - 20_000) / 20_000).toBeLessThan(0.1);
  });
});

describe('mergeProfiles', () => {
  it('equals the profile of the concatenation: exact counts, moments, histograms, categories', () => {
    const all = syntheticTable(30_000, 7);
    const a = takeRows(all, range(0, 12_000));
    const b = takeRows(all, range(12_000, 30_000));
    const pa = profileTable(a);
    const pb = profileTable(b, { binsFrom: pa });
    const merged = mergeProfiles(pa, pb);
    const whole = profileTable(all, { binsFrom: pa });
    expect(merged.rowCount).toBe(whole.rowCount);
    for (let i = 0; i < whole.columns.length; i++) {
      const m = merged.columns[i];
      const w = whole.columns[i];
      expect(m.count).toBe(w.count);
      expect(m.missing).toBe(w.missing);
      if (m.type === 'number' && w.type === 'number') {
        expect(m.min).toBe(w.min);
        expect(m.max).toBe(w.max);
        expect(m.mean).toBeCloseTo(w.mean, 10);
        expect(m.std).toBeCloseTo(w.std, 10);
        expect(m.histogram).toEqual(w.histogram);
        // Stated error: the merged sketch's quantiles within 0.5% of rank.
        expect(m.quantilesExact).toBe(false);
        const sorted = Float64Array.from(
          (all.columns[i] as { values: Float64Array }).values.filter((v) => !Number.isNaN(v)),
        ).sort();
        for (const q of [0.05, 0.25, 0.5, 0.75, 0.95]) {
          const value = m.quantiles[String(q)];
          // Ties (integer columns) make a range of ranks: q must fall within it, give or take the error.
          const below = sorted.filter((v) => v < value).length / sorted.length;
          const atOrBelow = sorted.filter((v) => v <= value).length / sorted.length;
          expect(q).toBeGreaterThan(below - 0.005);
          expect(q).toBeLessThan(atOrBelow + 0.005);
        }
        expect(Math.abs(m.distinct - w.distinct) / w.distinct).toBeLessThan(0.1);
      } else if (m.type === 'string' && w.type === 'string') {
        expect(m.counts).toEqual(w.counts);
        expect(m.top).toEqual(w.top);
        expect(m.distinct).toBe(w.distinct);
      }
    }
  });

  it('is exact for quantiles while the data fit the sample', () => {
    const all = syntheticTable(3000, 3);
    const pa = profileTable(takeRows(all, range(0, 1000)));
    const pb = profileTable(takeRows(all, range(1000, 3000)), { binsFrom: pa });
    const merged = mergeProfiles(pa, pb).columns[0] as NumericProfile;
    const sorted = Float64Array.from(
      (all.columns[0] as { values: Float64Array }).values.filter((v) => !Number.isNaN(v)),
    ).sort();
    expect(merged.quantiles['0.5']).toBe(quantileSorted(sorted, 0.5));
    expect(merged.quantiles['0.99']).toBe(quantileSorted(sorted, 0.99));
    expect(merged.quantilesExact).toBe(true);
  });

  it('refuses histograms with different bins', () => {
    const a = profileTable(tableFromRecords([{ x: 1 }, { x: 2 }]));
    const b = profileTable(tableFromRecords([{ x: 5 }, { x: 9 }]));
    expect(() => mergeProfiles(a, b)).toThrow(/different bins/);
  });
});

describe('reservoirSample', () => {
  it('jumps over values when told there is no NaN, and keeps the same sample as stepping over NaNs', () => {
    const random = seededRandom(5);
    for (const [n, size] of [
      [100_000, 64],
      [5_000, 4096],
      [300, 64],
      [40, 64],
    ]) {
      const withGaps = Float64Array.from({ length: n }, (_, i) => (random() < 0.2 ? NaN : i));
      const present = withGaps.filter((v) => v === v);
      const sample = reservoirSample(withGaps, 9, size);
      expect(sample).toHaveLength(Math.min(size, present.length));
      expect(reservoirSample(present, 9, size, true)).toEqual(sample);
      expect(reservoirSample(present, 9, size)).toEqual(sample);
      // A sample, not the first values.
      if (present.length > 2 * size) expect(Math.max(...sample)).toBeGreaterThan(present[2 * size]);
    }
  });
});

describe('a column that spans past the largest double', () => {
  it('gets finite histogram edges and counts every value', () => {
    const p = profileTable(tableFromRecords([{ x: -1e308 }, { x: 1e308 }, { x: 0 }])).columns[0] as NumericProfile;
    expect(p.histogram.edges.every(Number.isFinite)).toBe(true);
    expect(p.histogram.edges[0]).toBe(-1e308);
    expect(p.histogram.edges.at(-1)).toBe(1e308);
    expect(p.histogram.counts.reduce((a, b) => a + b, 0)).toBe(3);
    // JSON keeps them (NaN or Infinity edges became null there).
    expect(JSON.parse(JSON.stringify(p.histogram.edges)).includes(null)).toBe(false);
  });
});
