/**
 * The shapes drift works on: what the bundle's baseline and the edge's per-window sketches hold for
 * one feature, and what a drift check reports (snake_case, as it goes out over HTTP unchanged).
 */
import type { Histogram } from './histogram';
import type { DriftMethodName } from './methods';

export type FeatureType = 'numeric' | 'categorical';

/** A numeric feature's values: a reservoir sample and, optionally, counts over the baseline's bins. */
export interface NumericFeatureData {
  type: 'numeric';
  /** Values (a reservoir sample when the data is larger); non-finite entries are ignored, as missing. */
  sample: ArrayLike<number>;
  /** Counts over the training baseline's bins; used for Jensen–Shannon and PSI when both sides have one. */
  histogram?: Histogram;
  /**
   * How many values the data summarises (training rows for the baseline); defaults to the sample's
   * size. Evidently chooses its method from the reference's size, so the baseline should set it.
   */
  count?: number;
}

/** A categorical feature's counts per category (the edge's "other/unseen" bucket is just one more key). */
export interface CategoricalFeatureData {
  type: 'categorical';
  counts: Readonly<Record<string, number>>;
}

export type FeatureData = NumericFeatureData | CategoricalFeatureData;

/** One feature to check: the baseline (reference) and a serving window (current). */
export interface FeatureDriftInput {
  feature: string;
  reference: FeatureData;
  current: FeatureData;
}

/** Per-feature overrides of Evidently's defaults. */
export interface FeatureDriftOptions {
  method?: DriftMethodName;
  /** For p-value methods drift is p below it; for distances, a distance at or above it. */
  threshold?: number;
  /** Fewer current values than this and the feature is reported undecided (`drifted: false`, with a reason). */
  minCurrentSize?: number;
}

export interface FeatureDriftResult {
  feature: string;
  type: FeatureType;
  method: DriftMethodName;
  /** The test statistic or distance; null when the feature could not be checked. */
  statistic: number | null;
  /** The p-value for tests that have one (ks, chisquare, z); null for distances. */
  p_value: number | null;
  threshold: number;
  drifted: boolean;
  /** Population stability index over the same bins, reported alongside whatever the method is. */
  psi: number | null;
  reference_size: number;
  current_size: number;
  /** Why no statistic was computed (empty or too-small data). */
  reason?: string;
}
