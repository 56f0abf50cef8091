/** Reference values of smirnov.test.ts: scipy.special.smirnov(n, d) (tests/reference/drift.py). */
export const SMIRNOV_CASES: [n: number, d: number, sf: number][] = [
  [5, 0.1, 0.85359], // d ≤ 1/n: closed form
  [100, 0.05, 0.5871453380805337],
  [100, 0.3, 8.859934946331458e-9],
  [1000, 0.05, 0.006506037390545166],
  [10, 0.95, 9.765625000000086e-14], // d ≥ 1 − 1/n: (1 − d)ⁿ
];
