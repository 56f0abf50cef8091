import { describe, expect, it } from 'vitest';
import { chiSquareDriftTest, chiSquareGoodnessOfFit } from './chi-square-test';
import { expectClose } from '../../tests/support/expect-close';
import { CHI_SQUARE_TEST_CASES, CHI_SQUARE_UNSEEN_CATEGORY } from './chi-square-test.reference';

describe('chiSquareDriftTest agrees with Evidently / scipy.stats.chisquare', () => {
  it.each(CHI_SQUARE_TEST_CASES)('%j vs %j', (reference, current, statistic, pValue) => {
    const r = chiSquareDriftTest(reference, current);
    expectClose(r.statistic, statistic, 1e-14);
    expectClose(r.pValue, pValue, 1e-10);
    expect(r.dof).toBe(reference.length - 1);
  });

  it('calls a category the reference never saw certain drift (statistic ∞, p = 0)', () => {
    const { reference, current, statistic, pValue } = CHI_SQUARE_UNSEEN_CATEGORY;
    const r = chiSquareDriftTest(reference, current);
    expect(r.statistic).toBe(statistic);
    expect(r.pValue).toBe(pValue);
  });

  it('chiSquareGoodnessOfFit refuses mismatched lengths', () => {
    expect(() => chiSquareGoodnessOfFit([1, 2], [1])).toThrow(/same, non-zero length/);
  });
});
