/**
 * Reference values of z-test.test.ts: Evidently's z-test on (other₁, n₁, other₂, n₂) (tests/reference/drift.py):
 *   p1, p2 = other₁/n₁, other₂/n₂; P = (p1·n1 + p2·n2)/(n1 + n2); z = (p1 − p2)/√(P(1−P)(1/n1 + 1/n2));
 *   p = 2·scipy.stats.norm.sf(|z|) (Evidently's 2·(1 − norm.cdf(|z|)) agrees within 1e-16 absolute).
 */
type ZTestCase = [other1: number, n1: number, other2: number, n2: number, z: number, p: number];

export const Z_TEST_CASES: ZTestCase[] = [
  [40, 100, 55, 120, -0.8697650418763532, 0.3844288193282097],
  [10, 100, 15, 100, -1.0690449676496971, 0.28504940740261286],
  [300, 1000, 200, 1000, 5.1639777949432215, 2.4175638811190246e-7],
];

/** An overwhelming difference: 2 * norm.sf(44.63...) underflows to 0.0. */
export const Z_TEST_UNDERFLOW: ZTestCase = [1, 1000, 999, 1000, -44.631916830895804, 0];
