/**
 * What a drift card draws beside its statistic: the training baseline's distribution and the serving
 * window's over the same bins (or categories), with the serving values the baseline never saw —
 * numbers outside the training range, categories training did not have (Evidently's and TFDV's views).
 */
import type { FeatureData, FeatureDriftInput } from '../drift';
import { FlywheelError } from '../errors';
import { OTHER_CATEGORY } from './category-sketch';

/** A numeric side: counts over the baseline's bin edges; `below`/`above` are outside the edges. */
export interface NumericDistribution {
  type: 'numeric';
  edges: number[];
  counts: number[];
  below: number;
  above: number;
  total: number;
}

/** A categorical side: counts per category, in descending order of count. */
export interface CategoricalDistribution {
  type: 'categorical';
  categories: { name: string; count: number }[];
  total: number;
}

export type Distribution = NumericDistribution | CategoricalDistribution;

/** One feature's two sides, and how much of the serving side fell where training had nothing. */
export interface FeatureDistributions {
  baseline: Distribution;
  /** Null when the window's sketches carry no bins (recorded before the baseline was known). */
  serving: Distribution | null;
  /** Serving numbers below / above the training range (numeric features). */
  out_of_range: { below: number; above: number } | null;
  /** Serving values of categories training did not count by name (categorical features). */
  unseen: { count: number; categories: string[] } | null;
}

function distribution(data: FeatureData): Distribution | null {
  if (data.type === 'categorical') {
    const categories = Object.entries(data.counts)
      .map(([name, count]) => ({ name, count }))
      .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1));
    return { type: 'categorical', categories, total: categories.reduce((s, c) => s + c.count, 0) };
  }
  const h = data.histogram;
  if (!h) return null;
  const counts = Array.from(h.counts);
  const below = h.underflow ?? 0;
  const above = h.overflow ?? 0;
  return {
    type: 'numeric',
    edges: Array.from(h.edges),
    counts,
    below,
    above,
    total: counts.reduce((s, c) => s + c, 0) + below + above,
  };
}

/** Both sides of one feature's drift input, with out-of-range and unseen-category counts. */
export function featureDistributions(input: FeatureDriftInput): FeatureDistributions {
  const baseline = distribution(input.reference);
  const serving = distribution(input.current);
  if (!baseline) {
    const path = `baseline.${input.feature}.histogram`;
    throw new FlywheelError('bad_bundle', `${path}: the training baseline of a numeric feature needs a histogram`, [
      { path, message: 'missing' },
    ]);
  }
  if (serving?.type === 'numeric')
    return { baseline, serving, out_of_range: { below: serving.below, above: serving.above }, unseen: null };
  if (serving?.type === 'categorical' && baseline.type === 'categorical') {
    // The baseline's OTHER_CATEGORY holds training values not counted by name: a serving value can only be matched by name.
    const known = new Set(baseline.categories.filter((c) => c.name !== OTHER_CATEGORY).map((c) => c.name));
    const unseen = serving.categories.filter((c) => !known.has(c.name) && c.count > 0);
    return {
      baseline,
      serving,
      out_of_range: null,
      unseen: { count: unseen.reduce((s, c) => s + c.count, 0), categories: unseen.map((c) => c.name) },
    };
  }
  return { baseline, serving, out_of_range: null, unseen: null };
}
