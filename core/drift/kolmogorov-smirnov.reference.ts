/**
 * Reference values of kolmogorov-smirnov.test.ts: r = scipy.stats.ks_2samp(a, b) (method='auto', or
 * `mode`), as (r.statistic, r.pvalue), on the samples of test-samples.ts (tests/reference/drift.py).
 */
import type { SampleSpec } from './test-samples';

export interface KsCase {
  a: SampleSpec;
  b: SampleSpec;
  mode?: 'asymp';
  statistic: number;
  pValue: number;
}

export const KS_CASES = {
  exactUnequal: {
    a: { normalish: [1, 50] },
    b: { normalish: [2, 60, 0.5] },
    statistic: 0.4533333333333333,
    pValue: 1.4276982830087712e-5,
  },
  exactEqual: {
    a: { normalish: [3, 80] },
    b: { normalish: [4, 80, 0.3] },
    statistic: 0.2375,
    pValue: 0.021626029395464805,
  },
  ties: {
    a: { integers: [5, 200, 10] },
    b: { integers: [6, 150, 12] },
    statistic: 0.18666666666666668,
    pValue: 0.004479907502056654,
  },
  identical: { a: { normalish: [14, 100] }, b: { normalish: [14, 100] }, statistic: 0, pValue: 1 },
  disjoint: { a: { normalish: [8, 40] }, b: { normalish: [9, 30, 100] }, statistic: 1, pValue: 3.6135170070159586e-20 },
  large: {
    a: { normalish: [10, 3000] },
    b: { normalish: [11, 4000, 0.05] },
    statistic: 0.02725,
    pValue: 0.1542588718086824,
  },
  beyondExact: {
    a: { normalish: [12, 12000] },
    b: { normalish: [13, 11000, 0.03] },
    statistic: 0.020628787878787858,
    pValue: 0.014916206809310127,
  },
  asymptotic: {
    a: { normalish: [10, 3000] },
    b: { normalish: [11, 4000, 0.05] },
    mode: 'asymp',
    statistic: 0.027249999999999996,
    pValue: 0.1539585921956188,
  },
  singleValues: { a: [1], b: [2], statistic: 1, pValue: 1 },
} satisfies Record<string, KsCase>;
