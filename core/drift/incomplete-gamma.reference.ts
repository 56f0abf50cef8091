/** Reference values of incomplete-gamma.test.ts: scipy.special.gammaincc(a, x) and gammainc(a, x) (tests/reference/drift.py). */
export const INCOMPLETE_GAMMA_CASES: [a: number, x: number, q: number, p: number][] = [
  [0.5, 0.1, 0.6547208460185768, 0.34527915398142317],
  [1, 1, 0.36787944117144245, 0.6321205588285577],
  [2.5, 0.5, 0.9625657732472964, 0.03743422675270361],
  [10, 15, 0.06985366069940986, 0.9301463393005901],
  [50, 30, 0.999481108537452, 0.0005188914625480344],
  [100, 140, 0.00016105717471255715, 0.9998389428252874],
];
