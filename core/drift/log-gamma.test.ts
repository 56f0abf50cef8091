import { describe, expect, it } from 'vitest';
import { expectClose } from '../../tests/support/expect-close';
import { logGamma } from './log-gamma';

// Expected values: scipy.special.gammaln(x) (SciPy 1.17.1).
const CASES: [x: number, value: number][] = [
  [0.5, 0.5723649429247],
  [1.5, -0.12078223763524526],
  [3, 0.6931471805599453],
  [10.5, 13.940625219403763],
  [100, 359.1342053695754],
  [1234.5, 7550.550901077894],
];

describe('logGamma agrees with scipy.special.gammaln', () => {
  it.each(CASES)('x=%d', (x, value) => {
    expectClose(logGamma(x), value, 1e-14);
  });

  it('is 0 at 1 and 2, NaN for x ≤ 0', () => {
    expect(Math.abs(logGamma(1))).toBeLessThan(1e-15);
    expect(Math.abs(logGamma(2))).toBeLessThan(1e-15);
    expect(logGamma(0)).toBeNaN();
    expect(logGamma(-1)).toBeNaN();
  });
});
