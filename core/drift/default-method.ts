/**
 * Evidently's choice of drift method for a feature (`_get_default_stattest`): with a small reference,
 * tests with p-values — KS for numeric, chi-square for categories (z when there are at most two);
 * with a large one, distances — normed Wasserstein for numeric, Jensen–Shannon for categories —
 * because on large samples a p-value flags shifts too small to matter. A numeric feature with few
 * distinct values is compared as a categorical one.
 */
import type { DriftMethodName } from './methods';
import type { FeatureType } from './types';

/** Evidently's boundary: up to this many reference rows, statistical tests; above, distances. */
export const SMALL_REFERENCE_SIZE = 1000;
/** Numeric features with at most this many distinct values (both sides together) count as categorical. */
export const FEW_DISTINCT_VALUES = 5;
/** At most this many categories, a small reference uses the two-proportion z-test. */
const BINARY = 2;

export function defaultDriftMethod(type: FeatureType, referenceSize: number, distinctValues: number): DriftMethodName {
  const continuous = type === 'numeric' && distinctValues > FEW_DISTINCT_VALUES;
  if (referenceSize <= SMALL_REFERENCE_SIZE) {
    if (continuous) return 'ks';
    return distinctValues > BINARY ? 'chisquare' : 'z';
  }
  return continuous ? 'wasserstein' : 'jensenshannon';
}
