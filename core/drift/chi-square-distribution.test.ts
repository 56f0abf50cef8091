import { describe, expect, it } from 'vitest';
import { chiSquareSf } from './chi-square-distribution';
import { expectClose } from '../../tests/support/expect-close';

// Expected values: scipy.stats.chi2.sf(x, dof) (SciPy 1.17.1), from the body to far tails.
const CASES: [x: number, dof: number, sf: number][] = [
  [3.841458820694124, 1, 0.04999999999999989],
  [0.5, 3, 0.9188914116546758],
  [10, 4, 0.04042768199451279],
  [50, 9, 1.0772382022574693e-7],
  [300, 20, 8.082849629775851e-52],
  [1e-3, 2, 0.9995001249791693],
  [800, 99, 3.9827511483358554e-110],
];

describe('chiSquareSf agrees with scipy.stats.chi2.sf', () => {
  it.each(CASES)('x=%d, dof=%d', (x, dof, sf) => {
    expectClose(chiSquareSf(x, dof), sf, 1e-10);
  });

  it('is 1 at 0, 0 at ∞, NaN without degrees of freedom', () => {
    expect(chiSquareSf(0, 3)).toBe(1);
    expect(chiSquareSf(Infinity, 3)).toBe(0);
    expect(chiSquareSf(1, 0)).toBeNaN();
  });
});
