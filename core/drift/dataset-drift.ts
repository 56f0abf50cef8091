/**
 * Dataset drift from per-feature verdicts, as Evidently's `DatasetDriftMetric` decides it: the share
 * of drifted features, and drift of the whole dataset when that share reaches `driftShare` (0.5 by
 * default). Features left undecided for lack of data are listed but not counted, so a quiet feature
 * neither hides nor fakes drift; with no decided feature there is no dataset drift.
 */
import { FlywheelError } from '../errors';
import { featureDrift } from './feature-drift';
import type { FeatureDriftInput, FeatureDriftOptions, FeatureDriftResult } from './types';

/** Evidently's default share of drifted features that makes the dataset drifted. */
export const DEFAULT_DRIFT_SHARE = 0.5;

export interface DatasetDriftOptions {
  driftShare?: number;
}

export interface DatasetDriftResult {
  features: FeatureDriftResult[];
  /** Features with a verdict (those with enough data). */
  number_of_features: number;
  number_of_drifted: number;
  drift_share: number;
  dataset_drift: boolean;
}

export function datasetDrift(features: FeatureDriftResult[], options: DatasetDriftOptions = {}): DatasetDriftResult {
  const driftShare = options.driftShare ?? DEFAULT_DRIFT_SHARE;
  if (!(driftShare > 0 && driftShare <= 1)) {
    throw new FlywheelError('bad_input', `driftShare must be in (0, 1], got ${driftShare}`, [
      { path: 'driftShare', message: 'out of range' },
    ]);
  }
  const decided = features.filter((f) => f.reason === undefined);
  const drifted = decided.filter((f) => f.drifted).length;
  const share = decided.length === 0 ? 0 : drifted / decided.length;
  return {
    features,
    number_of_features: decided.length,
    number_of_drifted: drifted,
    drift_share: share,
    dataset_drift: decided.length > 0 && share >= driftShare,
  };
}

export interface DriftReportOptions extends DatasetDriftOptions {
  /** Overrides per feature name. */
  features?: Readonly<Record<string, FeatureDriftOptions>>;
  /** Applied to every feature unless its own options say otherwise. */
  minCurrentSize?: number;
}

/** Every feature's drift and the dataset verdict in one call: what the edge's drift endpoint serves. */
export function driftReport(
  inputs: readonly FeatureDriftInput[],
  options: DriftReportOptions = {},
): DatasetDriftResult {
  const results = inputs.map(({ feature, reference, current }) =>
    featureDrift(feature, reference, current, {
      ...(options.minCurrentSize === undefined ? {} : { minCurrentSize: options.minCurrentSize }),
      ...options.features?.[feature],
    }),
  );
  return datasetDrift(results, options);
}
