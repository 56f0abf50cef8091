/**
 * Reference values of chi-square-test.test.ts: Evidently's chisquare test, i.e.
 * r = scipy.stats.chisquare(cur, ref * cur.sum() / ref.sum()), as (r.statistic, r.pvalue) (tests/reference/drift.py).
 */
export const CHI_SQUARE_TEST_CASES: [reference: number[], current: number[], statistic: number, pValue: number][] = [
  [[50, 30, 20], [45, 35, 20], 1.3333333333333335, 0.5134171190325921],
  [[50, 30, 20], [20, 30, 50], 63.0, 2.087967911645931e-14],
  [[500, 300, 200], [40, 35, 25], 4.083333333333334, 0.12981217685543797],
];

/** A category the reference never saw: SciPy gives (inf, 0.0). */
export const CHI_SQUARE_UNSEEN_CATEGORY = {
  reference: [60, 40, 0],
  current: [30, 20, 1],
  statistic: Infinity,
  pValue: 0,
};
