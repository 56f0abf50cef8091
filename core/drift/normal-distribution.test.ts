import { describe, expect, it } from 'vitest';
import { expectClose } from '../../tests/support/expect-close';
import { normalCdf, normalSf } from './normal-distribution';

// Expected values: scipy.stats.norm.sf(z) (SciPy 1.17.1).
const CASES: [z: number, sf: number][] = [
  [-3, 0.9986501019683699],
  [-1.96, 0.9750021048517795],
  [0, 0.5],
  [0.5, 0.3085375387259869],
  [1.96, 0.024997895148220435],
  [5, 2.866515718791933e-7],
  [12, 1.776482112077653e-33],
];

describe('normal tails agree with scipy.stats.norm', () => {
  it.each(CASES)('z=%d', (z, sf) => {
    expectClose(normalSf(z), sf, 1e-13);
    expectClose(normalCdf(-z), sf, 1e-13);
  });

  it('keeps the tails symmetric', () => {
    expect(normalSf(1.3) + normalCdf(1.3)).toBeCloseTo(1, 15);
    expect(normalSf(Number.NaN)).toBeNaN();
  });
});
