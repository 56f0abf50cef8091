import { describe, expect, it } from 'vitest';
import { expectClose } from '../../tests/support/expect-close';
import { proportionsZTest } from './z-test';

// Expected values: Evidently's z-test on (other₁, n₁, other₂, n₂):
//   p1, p2 = other₁/n₁, other₂/n₂; P = (p1·n1 + p2·n2)/(n1 + n2); z = (p1 − p2)/√(P(1−P)(1/n1 + 1/n2));
//   p = 2·scipy.stats.norm.sf(|z|) (Evidently's 2·(1 − norm.cdf(|z|)) agrees within 1e-16 absolute).
const CASES: [number, number, number, number, z: number, p: number][] = [
  [40, 100, 55, 120, -0.8697650418763532, 0.3844288193282097],
  [10, 100, 15, 100, -1.0690449676496971, 0.28504940740261286],
  [300, 1000, 200, 1000, 5.1639777949432215, 2.4175638811190246e-7],
];

describe('proportionsZTest agrees with Evidently’s z-test', () => {
  it.each(CASES)('%d/%d vs %d/%d', (a, n1, b, n2, z, p) => {
    const r = proportionsZTest(a, n1, b, n2);
    expectClose(r.statistic, z, 1e-14);
    expectClose(r.pValue, p, 1e-12);
  });

  it('underflows to p = 0 for an overwhelming difference, as SciPy does', () => {
    // z = -44.631916830895804, 2 * norm.sf(44.63...) == 0.0
    const r = proportionsZTest(1, 1000, 999, 1000);
    expectClose(r.statistic, -44.631916830895804, 1e-14);
    expect(r.pValue).toBe(0);
  });

  it('gives p = 1 when both sides hold one and the same value', () => {
    expect(proportionsZTest(0, 50, 0, 70).pValue).toBe(1);
  });
});
