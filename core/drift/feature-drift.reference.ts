/**
 * Reference values of feature-drift.test.ts: SciPy on the samples of test-samples.ts, run through
 * Evidently's stattests as its source writes them (ks_2samp, wasserstein_distance / np.std, chisquare
 * with scaled expectations, the z-test, jensenshannon, get_binned_data + PSI), as
 * tests/reference/drift.py spells them out. A side is a sample (numeric) or counts per category.
 */
import type { SampleSpec } from './test-samples';

export interface FeatureDriftCase {
  reference: SampleSpec | Record<string, number>;
  current: SampleSpec | Record<string, number>;
  statistic?: number;
  pValue?: number;
  psi?: number;
}

export const FEATURE_DRIFT_CASES = {
  /** ks_2samp; PSI from get_binned_data (Sturges bins over both samples, > 20 values). */
  ks: {
    reference: { normalish: [30, 500] },
    current: { normalish: [31, 300, 0.3] },
    statistic: 0.12066666666666667,
    pValue: 0.007855519346077611,
    psi: 0.1406838355703467,
  },
  /** wasserstein_distance(ref, cur) / np.std(ref); PSI on np.histogram(·, np.linspace(-4, 4, 17)) counts. */
  wassersteinQuiet: {
    reference: { normalish: [32, 5000] },
    current: { normalish: [33, 800] },
    statistic: 0.0741913422773446,
    psi: 0.03436007584030504,
  },
  /** As above; 3 current values land above the last edge, in an overflow bin. */
  wassersteinShifted: {
    reference: { normalish: [32, 5000] },
    current: { normalish: [34, 800, 0.5, 1.3] },
    statistic: 0.565321709587337,
    psi: 0.4359937756416543,
  },
  /** jensenshannon(ref_counts, cur_counts + [overflow]) over the baseline's bins. */
  jensenShannonBinned: {
    reference: { normalish: [32, 5000] },
    current: { normalish: [34, 800, 0.5, 1.3] },
    statistic: 0.21911245724340217,
  },
  /** chisquare([20, 30, 50], [50, 30, 20] scaled to 100). */
  chiSquare: {
    reference: { a: 50, b: 30, c: 20 },
    current: { a: 20, b: 30, c: 50 },
    statistic: 63,
    pValue: 2.087967911645931e-14,
    psi: 0.549774439124493,
  },
  /** Sorted keys ['no', 'yes']: the z-test on the share of 'yes' (40/100 vs 55/120). */
  zTest: {
    reference: { yes: 40, no: 60 },
    current: { yes: 55, no: 65 },
    statistic: -0.8697650418763532,
    pValue: 0.3844288193282097,
  },
  /** jensenshannon([0, 600, 400, 200], [5, 30, 50, 40]) over keys ['__other__', 'x', 'y', 'z']. */
  jensenShannonCategories: {
    reference: { x: 600, y: 400, z: 200 },
    current: { x: 30, y: 50, z: 40, __other__: 5 },
    statistic: 0.2258287022721464,
    psi: 0.5420693865961435,
  },
  /** Chi-square on value counts [87, 76, 58, 79] vs [58, 38, 59, 45]. */
  chiSquareValues: {
    reference: { integers: [34, 300, 4] },
    current: { integers: [35, 200, 4] },
    statistic: 14.975229157573112,
    pValue: 0.0018379401763734835,
    psi: 0.06721069439703227,
  },
  /** The current side has 4s, the reference none: chisquare gives (inf, 0.0). */
  unseenValue: {
    reference: { integers: [34, 300, 4] },
    current: { integers: [35, 200, 5] },
    statistic: Infinity,
    pValue: 0,
    psi: 1.5079280887281725,
  },
  /** Jensen–Shannon on value counts [1020, 1005, 975] vs [134, 131, 135]. */
  jensenShannonValues: {
    reference: { integers: [36, 3000, 3] },
    current: { integers: [37, 400, 3] },
    statistic: 0.009457905450541771,
    psi: 0.0007156481043344907,
  },
  /** The z-test on value counts [200, 200] vs [149, 151]: the share of 1.0. */
  zTestValues: {
    reference: { integers: [38, 400, 2] },
    current: { integers: [39, 300, 2] },
    statistic: -0.08728751237068386,
    pValue: 0.9304429798182664,
  },
  /** PSI of [50, 30, 20] vs [45, 35, 20]. */
  psiOverride: {
    reference: { a: 50, b: 30, c: 20 },
    current: { a: 45, b: 35, c: 20 },
    statistic: 0.012975559774254224,
  },
} satisfies Record<string, FeatureDriftCase>;
