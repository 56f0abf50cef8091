/**
 * Drift of one feature between its training baseline and a serving window: picks Evidently's default
 * method (or the override), runs it, and reports the statistic, p-value, threshold, verdict and PSI.
 * Data a user can get wrong (mismatched types, unknown method, bad threshold) throws `bad_input`;
 * data that is merely too thin (an empty or tiny window) is reported undecided with a reason, since
 * a quiet hour is normal for a model and must not break the report.
 */
import { FlywheelError } from '../errors';
import { compareFeature, type Comparison } from './comparison';
import { defaultDriftMethod } from './default-method';
import { DRIFT_METHODS, isDriftMethodName, type DriftMethod } from './methods';
import { populationStabilityIndex } from './psi';
import type { FeatureData, FeatureDriftOptions, FeatureDriftResult } from './types';

/**
 * Fewer current values than this and a feature is not judged: distances from a handful of values
 * are large by chance (false drift) and the chi-square approximation needs expected counts of ~5.
 */
export const DEFAULT_MIN_CURRENT_SIZE = 30;

export function featureDrift(
  feature: string,
  reference: FeatureData,
  current: FeatureData,
  options: FeatureDriftOptions = {},
): FeatureDriftResult {
  const comparison = compareFeature(feature, reference, current);
  const method = chooseMethod(feature, comparison, options);
  const threshold = options.threshold ?? method.defaultThreshold;
  if (!(Number.isFinite(threshold) && threshold >= 0)) {
    throw new FlywheelError(
      'bad_input',
      `feature "${feature}": threshold must be a non-negative number, got ${threshold}`,
      [{ path: `${feature}.threshold`, message: 'not a non-negative number' }],
    );
  }
  const [referenceSize, currentSize] = sizes(comparison, method);
  const result: FeatureDriftResult = {
    feature,
    type: comparison.type,
    method: method.name,
    statistic: null,
    p_value: null,
    threshold,
    drifted: false,
    psi: null,
    reference_size: referenceSize,
    current_size: currentSize,
  };
  const minCurrent = options.minCurrentSize ?? DEFAULT_MIN_CURRENT_SIZE;
  if (referenceSize === 0) return { ...result, reason: 'no reference values' };
  if (currentSize === 0) return { ...result, reason: 'no current values' };
  if (currentSize < minCurrent)
    return { ...result, reason: `only ${currentSize} current values (at least ${minCurrent} needed)` };

  const score = method.compute(comparison);
  return {
    ...result,
    statistic: score.statistic,
    p_value: score.pValue,
    drifted: method.isDrift(score, threshold),
    psi: hasCounts(comparison) ? populationStabilityIndex(comparison.referenceCounts, comparison.currentCounts) : null,
  };
}

function chooseMethod(feature: string, comparison: Comparison, options: FeatureDriftOptions): DriftMethod {
  const name =
    options.method ?? defaultDriftMethod(comparison.type, comparison.referenceSize, comparison.distinctValues);
  if (!isDriftMethodName(name)) {
    throw new FlywheelError(
      'bad_input',
      `feature "${feature}": unknown drift method "${name}" (known: ${Object.keys(DRIFT_METHODS).join(', ')})`,
      [{ path: `${feature}.method`, message: 'unknown method' }],
    );
  }
  const method = DRIFT_METHODS[name];
  if (!method.featureTypes.includes(comparison.type)) {
    throw new FlywheelError(
      'bad_input',
      `feature "${feature}": method "${name}" does not apply to ${comparison.type} features`,
      [{ path: `${feature}.method`, message: `not for ${comparison.type} features` }],
    );
  }
  return method;
}

/** How many values each side gives the method: sample sizes, or the counts' totals. */
function sizes(comparison: Comparison, method: DriftMethod): [number, number] {
  if (method.input === 'samples') return [comparison.referenceSample.length, comparison.currentSample.length];
  return [total(comparison.referenceCounts), total(comparison.currentCounts)];
}

function hasCounts(comparison: Comparison): boolean {
  return total(comparison.referenceCounts) > 0 && total(comparison.currentCounts) > 0;
}

function total(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum;
}
