/** Reference values of jensen-shannon.test.ts: scipy.spatial.distance.jensenshannon(p, q) and (p, q, 2) (tests/reference/drift.py). */
export const JENSEN_SHANNON_CASES: [p: number[], q: number[], natural: number, base2: number][] = [
  [[10, 20, 30], [30, 20, 10], 0.29531004717204934, 0.35470351519813204],
  [[5, 0, 5], [0, 10, 0], 0.8325546111576977, 1.0],
  [[120, 80, 0, 3], [100, 90, 7, 0], 0.1420690945757664, 0.1706423730909545],
];
