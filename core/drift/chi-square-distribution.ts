/**
 * The chi-square distribution's survival function, P(X ≥ x) for X ~ χ²(dof): the p-value of
 * Pearson's test, as `scipy.stats.chi2.sf(x, dof)` computes it.
 */
import { regularizedGammaQ } from './incomplete-gamma';

export function chiSquareSf(x: number, dof: number): number {
  if (Number.isNaN(x) || !(dof > 0)) return Number.NaN;
  if (x <= 0) return 1;
  return regularizedGammaQ(dof / 2, x / 2);
}
