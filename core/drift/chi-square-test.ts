/**
 * Pearson's chi-square goodness-of-fit test (`scipy.stats.chisquare(f_obs, f_exp)`) and Evidently's
 * categorical drift test built on it: the expected counts are the reference's category counts
 * scaled to the current total, over the union of categories, with k − 1 degrees of freedom.
 * A category the reference never saw has expected count 0, so the statistic is infinite and the
 * p-value 0: a new category is drift, as in Evidently.
 */
import { FlywheelError } from '../errors';
import { chiSquareSf } from './chi-square-distribution';

export interface ChiSquareResult {
  statistic: number;
  pValue: number;
  dof: number;
}

/** Σ (obs − exp)²/exp and its χ²(k − 1) survival probability. */
export function chiSquareGoodnessOfFit(observed: ArrayLike<number>, expected: ArrayLike<number>): ChiSquareResult {
  if (observed.length !== expected.length || observed.length === 0) {
    throw new FlywheelError(
      'bad_input',
      'chiSquareGoodnessOfFit needs observed and expected counts of the same, non-zero length',
      [{ path: 'expected', message: `length ${expected.length}, observed has ${observed.length}` }],
    );
  }
  let statistic = 0;
  for (let i = 0; i < observed.length; i++) {
    const diff = observed[i] - expected[i];
    statistic += (diff * diff) / expected[i];
  }
  const dof = observed.length - 1;
  return { statistic, pValue: dof > 0 ? chiSquareSf(statistic, dof) : Number.NaN, dof };
}

/** Evidently's `chisquare` drift test on category counts aligned by index (union of categories). */
export function chiSquareDriftTest(
  referenceCounts: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
): ChiSquareResult {
  const scale = total(currentCounts) / total(referenceCounts);
  const expected = Array.from(referenceCounts, (count) => count * scale);
  return chiSquareGoodnessOfFit(currentCounts, expected);
}

function total(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum;
}
