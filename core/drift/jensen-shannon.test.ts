import { describe, expect, it } from 'vitest';
import { expectClose } from '../../tests/support/expect-close';
import { jensenShannonDistance } from './jensen-shannon';
import { JENSEN_SHANNON_CASES } from './jensen-shannon.reference';

describe('jensenShannonDistance agrees with scipy.spatial.distance.jensenshannon', () => {
  it.each(JENSEN_SHANNON_CASES)('%j vs %j', (p, q, natural, base2) => {
    expectClose(jensenShannonDistance(p, q), natural, 1e-13);
    expectClose(jensenShannonDistance(p, q, 2), base2, 1e-13);
  });

  it('is 0 for identical distributions, whatever their totals', () => {
    expect(jensenShannonDistance([1, 2, 3, 4], [1, 2, 3, 4])).toBe(0);
    expect(jensenShannonDistance([1, 2, 3, 4], [10, 20, 30, 40])).toBeLessThan(1e-8);
  });

  it('refuses distributions of different lengths', () => {
    expect(() => jensenShannonDistance([1, 2], [1, 2, 3])).toThrow(/equal lengths/);
  });
});
