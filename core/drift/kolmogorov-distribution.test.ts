import { describe, expect, it } from 'vitest';
import { expectClose } from '../../tests/support/expect-close';
import { kolmogorovSf } from './kolmogorov-distribution';
import { KOLMOGOROV_SF_CASES } from './kolmogorov-distribution.reference';

describe('kolmogorovSf agrees with scipy.stats.kstwo.sf', () => {
  it.each(KOLMOGOROV_SF_CASES)('n=%d, d=%d', (n, d, sf) => {
    expectClose(kolmogorovSf(n, d), sf, 1e-10);
  });

  it('is 1 below the support and 0 at or above 1', () => {
    expect(kolmogorovSf(50, 0)).toBe(1);
    expect(kolmogorovSf(50, 0.005)).toBe(1);
    expect(kolmogorovSf(50, 1)).toBe(0);
  });

  it('is NaN for a non-integer or non-positive n', () => {
    expect(kolmogorovSf(2.5, 0.1)).toBeNaN();
    expect(kolmogorovSf(0, 0.1)).toBeNaN();
  });
});
