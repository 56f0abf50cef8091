import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random';
import { PROFILE_QUANTILES, quantilesOfSorted } from './profile';
import { selectQuantiles } from './select-quantiles';

describe('selectQuantiles', () => {
  it('equals the quantiles of the sorted values: random, tied, sorted, reversed, skewed, outlying and tiny inputs', () => {
    const random = seededRandom(3);
    const inputs: number[][] = [
      Array.from({ length: 100_001 }, () => (random() - 0.5) * 1e6),
      Array.from({ length: 50_000 }, () => Math.floor(random() * 5)),
      Array.from({ length: 20_000 }, (_, i) => i),
      Array.from({ length: 20_000 }, (_, i) => -i),
      // Counted into buckets: skewed, with ties, with a far outlier (most values in one bucket).
      Array.from({ length: 60_000 }, () => random() ** 8 * 50),
      Array.from({ length: 60_000 }, () => Math.round(random() * 300) / 4 - 20),
      Array.from({ length: 30_000 }, (_, i) => (i === 7 ? 1e300 : random())),
      Array.from({ length: 30_000 }, (_, i) => (i % 2 ? -1e-300 : 1e-300) * i),
      [7],
      [2, 1],
      Array.from({ length: 40 }, () => random()),
    ];
    for (const input of inputs) {
      const expected = Object.values(quantilesOfSorted(Float64Array.from(input).sort()));
      expect(selectQuantiles(Float64Array.from(input), PROFILE_QUANTILES), `${input.length} values`).toEqual(expected);
    }
    expect(selectQuantiles(new Float64Array(0), [0.5])).toEqual([NaN]);
  });
});
