import { describe, expect, it } from 'vitest';
import { expectClose } from '../../tests/support/expect-close';
import { smirnovSf } from './smirnov';

// Expected values: scipy.special.smirnov(n, d) (SciPy 1.17.1).
const CASES: [n: number, d: number, sf: number][] = [
  [5, 0.1, 0.85359], // d ≤ 1/n: closed form
  [100, 0.05, 0.5871453380805337],
  [100, 0.3, 8.859934946331458e-9],
  [1000, 0.05, 0.006506037390545166],
  [10, 0.95, 9.765625000000086e-14], // d ≥ 1 − 1/n: (1 − d)ⁿ
];

describe('smirnovSf agrees with scipy.special.smirnov', () => {
  it.each(CASES)('n=%d, d=%d', (n, d, sf) => {
    expectClose(smirnovSf(n, d), sf, 1e-11);
  });

  it('has the trivial values at the ends and for n = 1', () => {
    expect(smirnovSf(10, 0)).toBe(1);
    expect(smirnovSf(10, 1)).toBe(0);
    expect(smirnovSf(1, 0.3)).toBe(0.7);
    expect(smirnovSf(10, 1.5)).toBeNaN();
  });
});
