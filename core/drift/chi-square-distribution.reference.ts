/** Reference values of chi-square-distribution.test.ts: scipy.stats.chi2.sf(x, dof), from the body to far tails (tests/reference/drift.py). */
export const CHI_SQUARE_SF_CASES: [x: number, dof: number, sf: number][] = [
  [3.841458820694124, 1, 0.04999999999999989],
  [0.5, 3, 0.9188914116546758],
  [10, 4, 0.04042768199451279],
  [50, 9, 1.0772382022574693e-7],
  [300, 20, 8.082849629775851e-52],
  [1e-3, 2, 0.9995001249791693],
  [800, 99, 3.9827511483358554e-110],
];
