/**
 * Turns a feature's baseline and serving window into what the drift methods compare: the finite
 * samples (for KS and Wasserstein) and the two distributions over common bins (for chi-square, z,
 * Jensen–Shannon and PSI). Numeric bins follow Evidently's `get_binned_data`: one bin per distinct
 * value when the reference has at most 20; otherwise the baseline's histogram bins when both sides
 * carry a sketch (our choice: the edge keeps counts, not all values), else Sturges bins over the
 * pooled samples as Evidently does.
 */
import { FlywheelError } from '../errors';
import { alignCategoryCounts, alignValueCounts } from './category-counts';
import { assertSameBins, histogramOf, sturgesBinEdges, type Histogram } from './histogram';
import type { FeatureData, FeatureType, NumericFeatureData } from './types';

/** Evidently bins a numeric reference with more distinct values than this; fewer are compared value by value. */
export const MAX_DISTINCT_FOR_VALUE_BINS = 20;

export interface Comparison {
  type: FeatureType;
  /** Finite values of each side (empty for categorical features). */
  referenceSample: Float64Array;
  currentSample: Float64Array;
  /** Counts over the common bins, in sorted bin order (categories, distinct values, or histogram bins). */
  referenceCounts: Float64Array;
  currentCounts: Float64Array;
  /** The reference's size as Evidently sees it (training rows), which picks the default method. */
  referenceSize: number;
  /** Distinct values over both sides, which also picks the default method. */
  distinctValues: number;
}

export function compareFeature(feature: string, reference: FeatureData, current: FeatureData): Comparison {
  if (reference.type === 'numeric' && current.type === 'numeric') return compareNumeric(feature, reference, current);
  if (reference.type === 'categorical' && current.type === 'categorical') {
    const aligned = alignCategoryCounts(reference.counts, current.counts, feature);
    return {
      type: 'categorical',
      referenceSample: new Float64Array(0),
      currentSample: new Float64Array(0),
      referenceCounts: aligned.reference,
      currentCounts: aligned.current,
      referenceSize: sum(aligned.reference),
      distinctValues: aligned.keys.length,
    };
  }
  throw new FlywheelError(
    'bad_input',
    `feature "${feature}": reference is ${reference.type} but current is ${current.type}`,
    [{ path: `${feature}.current.type`, message: `expected ${reference.type}` }],
  );
}

function compareNumeric(feature: string, reference: NumericFeatureData, current: NumericFeatureData): Comparison {
  if (reference.count !== undefined && !(Number.isFinite(reference.count) && reference.count >= 0)) {
    throw new FlywheelError(
      'bad_input',
      `feature "${feature}": reference count is ${reference.count}, expected a non-negative number`,
      [{ path: `${feature}.reference.count`, message: 'not a non-negative number' }],
    );
  }
  const referenceSample = finite(reference.sample);
  const currentSample = finite(current.sample);
  const values = alignValueCounts(referenceSample, currentSample);
  const referenceDistinct = values.keys.filter((_, i) => values.reference[i] > 0).length;
  const base = {
    type: 'numeric' as const,
    referenceSample,
    currentSample,
    referenceSize: reference.count ?? referenceSample.length,
    distinctValues: values.keys.length,
  };
  if (referenceDistinct <= MAX_DISTINCT_FOR_VALUE_BINS) {
    return { ...base, referenceCounts: values.reference, currentCounts: values.current };
  }
  if (reference.histogram && current.histogram) {
    assertSameBins(reference.histogram, current.histogram, `${feature}.current.histogram`);
    return { ...base, ...alignHistograms(reference.histogram, current.histogram) };
  }
  if (currentSample.length === 0) {
    return { ...base, referenceCounts: new Float64Array(0), currentCounts: new Float64Array(0) };
  }
  const pooled = new Float64Array(referenceSample.length + currentSample.length);
  pooled.set(referenceSample);
  pooled.set(currentSample, referenceSample.length);
  const edges = sturgesBinEdges(pooled);
  return {
    ...base,
    referenceCounts: Float64Array.from(histogramOf(referenceSample, edges).counts),
    currentCounts: Float64Array.from(histogramOf(currentSample, edges).counts),
  };
}

/** Bin counts side by side, with out-of-range bins added only when either side has such values. */
function alignHistograms(
  reference: Histogram,
  current: Histogram,
): Pick<Comparison, 'referenceCounts' | 'currentCounts'> {
  const withUnder = (reference.underflow ?? 0) > 0 || (current.underflow ?? 0) > 0;
  const withOver = (reference.overflow ?? 0) > 0 || (current.overflow ?? 0) > 0;
  const layout = (h: Histogram): number[] => [
    ...(withUnder ? [h.underflow ?? 0] : []),
    ...Array.from(h.counts),
    ...(withOver ? [h.overflow ?? 0] : []),
  ];
  return { referenceCounts: Float64Array.from(layout(reference)), currentCounts: Float64Array.from(layout(current)) };
}

function finite(values: ArrayLike<number>): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) out.push(values[i]);
  return Float64Array.from(out);
}

function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}
