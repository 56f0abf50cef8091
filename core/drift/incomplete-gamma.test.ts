import { describe, expect, it } from 'vitest';
import { expectClose } from '../../tests/support/expect-close';
import { regularizedGammaP, regularizedGammaQ } from './incomplete-gamma';

// Expected values: scipy.special.gammaincc(a, x) and gammainc(a, x) (SciPy 1.17.1).
const CASES: [a: number, x: number, q: number, p: number][] = [
  [0.5, 0.1, 0.6547208460185768, 0.34527915398142317],
  [1, 1, 0.36787944117144245, 0.6321205588285577],
  [2.5, 0.5, 0.9625657732472964, 0.03743422675270361],
  [10, 15, 0.06985366069940986, 0.9301463393005901],
  [50, 30, 0.999481108537452, 0.0005188914625480344],
  [100, 140, 0.00016105717471255715, 0.9998389428252874],
];

describe('regularized incomplete gamma agrees with SciPy', () => {
  it.each(CASES)('a=%d, x=%d', (a, x, q, p) => {
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
