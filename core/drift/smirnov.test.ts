import { describe, expect, it } from 'vitest';
import { expectClose } from '../../tests/support/expect-close';
import { smirnovSf } from './smirnov';
import { SMIRNOV_CASES } from './smirnov.reference';

describe('smirnovSf agrees with scipy.special.smirnov', () => {
  it.each(SMIRNOV_CASES)('n=%d, d=%d', (n, d, sf) => {
    expectClose(smirnovSf(n, d), sf, 1e-11);
  });

  it('has the trivial values at the ends and for n = 1', () => {
    expect(smirnovSf(10, 0)).toBe(1);
    expect(smirnovSf(10, 1)).toBe(0);
    expect(smirnovSf(1, 0.3)).toBe(0.7);
    expect(smirnovSf(10, 1.5)).toBeNaN();
  });
});
