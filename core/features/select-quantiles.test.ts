import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random';
import { PROFILE_QUANTILES, quantilesOfSorted } from './profile';
import { selectQuantiles } from './select-quantiles';

describe('selectQuantiles', () => {
  it('equals the quantiles of the sorted values: random, tied, sorted, reversed and tiny inputs', () => {
    const random = seededRandom(3);
    const inputs: number[][] = [
      Array.from({ length: 100_001 }, () => (random() - 0.5) * 1e6),
      Array.from({ length: 50_000 }, () => Math.floor(random() * 5)),
      Array.from({ length: 20_000 }, (_, i) => i),
      Array.from({ length: 20_000 }, (_, i) => -i),
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
