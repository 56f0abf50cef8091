import { describe, expect, it } from 'vitest';
import { chiSquareDriftTest, chiSquareGoodnessOfFit } from './chi-square-test';
import { expectClose } from '../../tests/support/expect-close';

// Expected values: Evidently's chisquare test, i.e. r = scipy.stats.chisquare(cur, ref * cur.sum() / ref.sum())
// (SciPy 1.17.1), as (r.statistic, r.pvalue).
const CASES: [reference: number[], current: number[], statistic: number, pValue: number][] = [
  [[50, 30, 20], [45, 35, 20], 1.3333333333333335, 0.5134171190325921],
  [[50, 30, 20], [20, 30, 50], 63.0, 2.087967911645931e-14],
  [[500, 300, 200], [40, 35, 25], 4.083333333333334, 0.12981217685543797],
];

describe('chiSquareDriftTest agrees with Evidently / scipy.stats.chisquare', () => {
  it.each(CASES)('%j vs %j', (reference, current, statistic, pValue) => {
    const r = chiSquareDriftTest(reference, current);
    expectClose(r.statistic, statistic, 1e-14);
    expectClose(r.pValue, pValue, 1e-10);
    expect(r.dof).toBe(reference.length - 1);
  });

  it('calls a category the reference never saw certain drift (statistic ∞, p = 0)', () => {
    // chisquare([30, 20, 1], [30, 20, 0] scaled) -> (inf, 0.0)
    const r = chiSquareDriftTest([60, 40, 0], [30, 20, 1]);
    expect(r.statistic).toBe(Infinity);
    expect(r.pValue).toBe(0);
  });

  it('chiSquareGoodnessOfFit refuses mismatched lengths', () => {
    expect(() => chiSquareGoodnessOfFit([1, 2], [1])).toThrow(/same, non-zero length/);
  });
});
