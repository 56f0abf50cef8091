import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random';
import { PROFILE_QUANTILES, quantilesOfSorted } from './profile';
import { selectQuantiles } from './select-quantiles';

describe('selectQuantiles', () => {
  it('equals the quantiles of the sorted values: random, tied, sorted, reversed, skewed, outlying and tiny inputs', () => {
    const random = seededRandom(3);
    const inputs: number[][] = [
      Array.from({ length: 100_001 }, () => (random() - 0.5) * 1e6),
      // Counted one integer per bucket: few distinct values, negative ones, a span just inside and just past the limit.
      Array.from({ length: 50_000 }, () => Math.floor(random() * 5)),
      Array.from({ length: 3_000 }, () => Math.floor(random() * 100) - 50),
      Array.from({ length: 30_000 }, (_, i) => (i % 2 ? 4_095 - (i % 3) : i % 3) - 7),
      Array.from({ length: 30_000 }, (_, i) => (i % 2 ? 4_096 - (i % 3) : i % 3)),
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
      const values = Float64Array.from(input);
      expect(selectQuantiles(values, PROFILE_QUANTILES), `${input.length} values`).toEqual(expected);
      expect(values, 'values left as they were').toEqual(Float64Array.from(input));
      // Missing values (NaN) among them change nothing, through the buckets and the quickselect alike.
      const gappy = Float64Array.from(input.flatMap((v, i) => (i % 3 ? [v] : [NaN, v, NaN])));
      expect(selectQuantiles(gappy, PROFILE_QUANTILES), `${input.length} values with gaps`).toEqual(expected);
      // The quickselect copies into the scratch buffer it is given, and the values stay put.
      const scratch = new Float64Array(input.length);
      const known = { count: input.length, min: Math.min(...input), max: Math.max(...input) };
      expect(selectQuantiles(gappy, PROFILE_QUANTILES, known, scratch)).toEqual(expected);
      expect(gappy.filter((v) => v === v)).toEqual(Float64Array.from(input));
    }
    expect(selectQuantiles(new Float64Array(0), [0.5])).toEqual([NaN]);
    // numpy's own interpolation to the last bit (Debian's numpy 1.24: np.quantile), from the nearer end.
    expect(selectQuantiles(Float64Array.from([0.3, 8.6]), [0.5])).toEqual([4.45]);
    expect(selectQuantiles(Float64Array.from([2.9, 4.1, 6.3, 8.2, 9.6]), [0.95])).toEqual([9.319999999999999]);
    // Descending values and one far outlier: every value in one bucket, and a first/middle/last pivot
    // was quadratic here (a million values ran past the test's timeout; it finishes in about a second now).
    const n = 1_000_000;
    const adversarial = Float64Array.from({ length: n + 1 }, (_, i) => (i < n ? n - i : 1e300));
    expect(selectQuantiles(adversarial, PROFILE_QUANTILES)).toEqual(
      Object.values(quantilesOfSorted(Float64Array.from(adversarial).sort())),
    );
    expect(selectQuantiles(Float64Array.from([NaN, NaN]), [0.5])).toEqual([NaN]);
  });
});
