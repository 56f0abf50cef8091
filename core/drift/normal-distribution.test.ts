import { describe, expect, it } from 'vitest';
import { expectClose } from '../../tests/support/expect-close';
import { normalCdf, normalSf } from './normal-distribution';
import { NORMAL_SF_CASES } from './normal-distribution.reference';

describe('normal tails agree with scipy.stats.norm', () => {
  it.each(NORMAL_SF_CASES)('z=%d', (z, sf) => {
    expectClose(normalSf(z), sf, 1e-13);
    expectClose(normalCdf(-z), sf, 1e-13);
  });

  it('keeps the tails symmetric', () => {
    expect(normalSf(1.3) + normalCdf(1.3)).toBeCloseTo(1, 15);
    expect(normalSf(Number.NaN)).toBeNaN();
  });
});
