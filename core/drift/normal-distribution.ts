/**
 * The standard normal tails, as `scipy.stats.norm.sf` / `norm.cdf` give them. Through
 * erfc(t) = Q(1/2, t²) the small tail is computed directly (never as 1 − something), so a
 * p-value of 1e-300 keeps its digits; z²/2 is formed in one rounding to keep e^(−z²/2) accurate.
 */
import { regularizedGammaQ } from './incomplete-gamma';

/** P(Z ≥ z) for a standard normal Z. */
export function normalSf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  if (z === 0) return 0.5;
  const tail = 0.5 * regularizedGammaQ(0.5, (z * z) / 2);
  return z > 0 ? tail : 1 - tail;
}

/** P(Z ≤ z) for a standard normal Z. */
export function normalCdf(z: number): number {
  return normalSf(-z);
}
