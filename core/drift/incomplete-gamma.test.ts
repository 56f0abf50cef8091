import { describe, expect, it } from 'vitest';
import { expectClose } from '../../tests/support/expect-close';
import { regularizedGammaP, regularizedGammaQ } from './incomplete-gamma';
import { INCOMPLETE_GAMMA_CASES } from './incomplete-gamma.reference';

describe('regularized incomplete gamma agrees with SciPy', () => {
  it.each(INCOMPLETE_GAMMA_CASES)('a=%d, x=%d', (a, x, q, p) => {
    expectClose(regularizedGammaQ(a, x), q, 1e-12);
    expectClose(regularizedGammaP(a, x), p, 1e-12);
  });

  it('has the limits at 0 and ∞ and rejects bad arguments', () => {
    expect(regularizedGammaQ(3, 0)).toBe(1);
    expect(regularizedGammaP(3, 0)).toBe(0);
    expect(regularizedGammaQ(3, Infinity)).toBe(0);
    expect(regularizedGammaQ(0, 1)).toBeNaN();
    expect(regularizedGammaP(1, -1)).toBeNaN();
  });
});
