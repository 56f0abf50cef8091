import { describe, expect, it } from 'vitest';
import { expectClose } from '../../tests/support/expect-close';
import { logGamma } from './log-gamma';
import { LOG_GAMMA_CASES } from './log-gamma.reference';

describe('logGamma agrees with scipy.special.gammaln', () => {
  it.each(LOG_GAMMA_CASES)('x=%d', (x, value) => {
    expectClose(logGamma(x), value, 1e-14);
  });

  it('is 0 at 1 and 2, NaN for x ≤ 0', () => {
    expect(Math.abs(logGamma(1))).toBeLessThan(1e-15);
    expect(Math.abs(logGamma(2))).toBeLessThan(1e-15);
    expect(logGamma(0)).toBeNaN();
    expect(logGamma(-1)).toBeNaN();
  });
});
