import { describe, expect, it } from 'vitest';
import { chiSquareSf } from './chi-square-distribution';
import { expectClose } from '../../tests/support/expect-close';
import { CHI_SQUARE_SF_CASES } from './chi-square-distribution.reference';

describe('chiSquareSf agrees with scipy.stats.chi2.sf', () => {
  it.each(CHI_SQUARE_SF_CASES)('x=%d, dof=%d', (x, dof, sf) => {
    expectClose(chiSquareSf(x, dof), sf, 1e-10);
  });

  it('is 1 at 0, 0 at ∞, NaN without degrees of freedom', () => {
    expect(chiSquareSf(0, 3)).toBe(1);
    expect(chiSquareSf(Infinity, 3)).toBe(0);
    expect(chiSquareSf(1, 0)).toBeNaN();
  });
});
