import { describe, expect, it } from 'vitest';
import { mergeWeightedSamples } from './sample-merge';

const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i);

describe('mergeWeightedSamples', () => {
  it('keeps every value, in order, while complete parts fit', () => {
    expect(
      mergeWeightedSamples(
        [
          { sample: [1, 2], count: 2 },
          { sample: [], count: 0 },
          { sample: [3], count: 1 },
        ],
        1,
        5,
      ),
    ).toEqual([1, 2, 3]);
  });

  it('draws from each part in proportion to the values it stands for, by largest remainder', () => {
    // shares of 10: 10·3000/6000 = 5, 10·2000/6000 = 3.33, 10·1000/6000 = 1.67 → 5, 3, 2
    const parts = [
      { sample: range(0, 10), count: 3000 },
      { sample: range(100, 10), count: 2000 },
      { sample: range(200, 10), count: 1000 },
    ];
    const merged = mergeWeightedSamples(parts, 3, 10);
    expect([
      merged.filter((v) => v < 100).length,
      merged.filter((v) => v >= 100 && v < 200).length,
      merged.filter((v) => v >= 200).length,
    ]).toEqual([5, 3, 2]);
    expect(new Set(merged).size).toBe(10);
    expect(mergeWeightedSamples(parts, 3, 10)).toEqual(merged);
  });

  it('lets a part that stands for almost nothing give nothing', () => {
    const parts = [
      { sample: [1], count: 1 },
      { sample: [2], count: 1 },
      { sample: range(100, 10), count: 10_000 },
    ];
    expect(mergeWeightedSamples(parts, 5, 10).every((v) => v >= 100)).toBe(true);
  });
});
