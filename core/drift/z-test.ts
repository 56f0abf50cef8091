/**
 * Evidently's `z` drift test for a binary feature: the two-proportion z-test with pooled variance,
 * where the proportion is the share of values that are not the first category in sorted order,
 * and the two-sided p-value 2·P(Z ≥ |z|) (Evidently writes 2·(1 − Φ(|z|)), which is the same number
 * but loses every digit below 1e-16; this keeps them).
 */
import { normalSf } from './normal-distribution';

export interface ZTestResult {
  statistic: number;
  pValue: number;
}

/**
 * `referenceOther`/`currentOther` count values that are not the first sorted category, out of
 * `referenceSize`/`currentSize` values. When both samples hold the same single value the p-value is 1.
 */
export function proportionsZTest(
  referenceOther: number,
  referenceSize: number,
  currentOther: number,
  currentSize: number,
): ZTestResult {
  const p1 = referenceOther / referenceSize;
  const p2 = currentOther / currentSize;
  const pooled = (p1 * referenceSize + p2 * currentSize) / (referenceSize + currentSize);
  if (pooled === 0 || pooled === 1) return { statistic: 0, pValue: 1 };
  const z = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1 / referenceSize + 1 / currentSize));
  return { statistic: z, pValue: 2 * normalSf(Math.abs(z)) };
}
