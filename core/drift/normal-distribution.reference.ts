/** Reference values of normal-distribution.test.ts: scipy.stats.norm.sf(z) (tests/reference/drift.py). */
export const NORMAL_SF_CASES: [z: number, sf: number][] = [
  [-3, 0.9986501019683699],
  [-1.96, 0.9750021048517795],
  [0, 0.5],
  [0.5, 0.3085375387259869],
  [1.96, 0.024997895148220435],
  [5, 2.866515718791933e-7],
  [12, 1.776482112077653e-33],
];
