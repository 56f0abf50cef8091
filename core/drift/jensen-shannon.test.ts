import { describe, expect, it } from 'vitest';
import { expectClose } from '../../tests/support/expect-close';
import { jensenShannonDistance } from './jensen-shannon';

// Expected values: scipy.spatial.distance.jensenshannon(p, q) and (p, q, 2) (SciPy 1.17.1).
const CASES: [p: number[], q: number[], natural: number, base2: number][] = [
  [[10, 20, 30], [30, 20, 10], 0.29531004717204934, 0.35470351519813204],
  [[5, 0, 5], [0, 10, 0], 0.8325546111576977, 1.0],
  [[120, 80, 0, 3], [100, 90, 7, 0], 0.1420690945757664, 0.1706423730909545],
];

describe('jensenShannonDistance agrees with scipy.spatial.distance.jensenshannon', () => {
  it.each(CASES)('%j vs %j', (p, q, natural, base2) => {
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
