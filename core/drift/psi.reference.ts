/**
 * Reference values of psi.test.ts: Evidently's PSI in NumPy — shares x/x.sum() with zeros replaced by
 * (min(nonzero)/10**6 if min(nonzero) <= 0.0001 else 0.0001), then np.sum((r - c) * np.log(r / c))
 * (tests/reference/drift.py).
 */
export const PSI_CASES: [reference: number[], current: number[], psi: number][] = [
  [[50, 30, 20], [45, 35, 20], 0.012975559774254224],
  [[50, 30, 20], [20, 30, 50], 0.549774439124493],
  [[1000, 0, 10], [900, 50, 0], 0.3760805387014433],
  [[1000000, 1, 0], [5, 5, 5], 13.815496742441],
];
