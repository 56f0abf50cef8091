import { describe, expect, it } from 'vitest';
import { expectClose } from '../../tests/support/expect-close';
import { proportionsZTest } from './z-test';
import { Z_TEST_CASES, Z_TEST_UNDERFLOW } from './z-test.reference';

describe('proportionsZTest agrees with Evidently’s z-test', () => {
  it.each(Z_TEST_CASES)('%d/%d vs %d/%d', (a, n1, b, n2, z, p) => {
    const r = proportionsZTest(a, n1, b, n2);
    expectClose(r.statistic, z, 1e-14);
    expectClose(r.pValue, p, 1e-12);
  });

  it('underflows to p = 0 for an overwhelming difference, as SciPy does', () => {
    const [a, n1, b, n2, z, p] = Z_TEST_UNDERFLOW;
    const r = proportionsZTest(a, n1, b, n2);
    expectClose(r.statistic, z, 1e-14);
    expect(r.pValue).toBe(p);
  });

  it('gives p = 1 when both sides hold one and the same value', () => {
    expect(proportionsZTest(0, 50, 0, 70).pValue).toBe(1);
  });
});
