/** Reference values of log-gamma.test.ts: scipy.special.gammaln(x), as tests/reference/drift.py prints them. */
export const LOG_GAMMA_CASES: [x: number, value: number][] = [
  [0.5, 0.5723649429247],
  [1.5, -0.12078223763524526],
  [3, 0.6931471805599453],
  [10.5, 13.940625219403763],
  [100, 359.1342053695754],
  [1234.5, 7550.550901077894],
];
