/**
 * The registry of drift methods, filled in this one place. Each names what it computes on (the raw
 * samples or the binned distributions), which features it applies to, its default threshold and
 * how a result becomes a verdict: Evidently's defaults and comparisons (`p ≤ t` for KS, `p < t`
 * for chi-square and z, `distance ≥ t` for the distances).
 */
import { chiSquareDriftTest } from './chi-square-test';
import type { Comparison } from './comparison';
import { jensenShannonDistance } from './jensen-shannon';
import { ks2Samp } from './kolmogorov-smirnov';
import { populationStabilityIndex } from './psi';
import type { FeatureType } from './types';
import { normedWassersteinDistance } from './wasserstein';
import { proportionsZTest } from './z-test';

export type DriftMethodName = 'ks' | 'wasserstein' | 'jensenshannon' | 'chisquare' | 'z' | 'psi';

export interface DriftScore {
  statistic: number;
  pValue: number | null;
}

export interface DriftMethod {
  readonly name: DriftMethodName;
  /** Raw samples (KS, Wasserstein) or counts over common bins (the rest). */
  readonly input: 'samples' | 'counts';
  readonly featureTypes: readonly FeatureType[];
  readonly defaultThreshold: number;
  compute(comparison: Comparison): DriftScore;
  isDrift(score: DriftScore, threshold: number): boolean;
}

/** Evidently's significance level for its tests. */
const P_VALUE_THRESHOLD = 0.05;
/** Evidently's threshold for its distances and PSI. */
const DISTANCE_THRESHOLD = 0.1;

const BOTH: readonly FeatureType[] = ['numeric', 'categorical'];
const NUMERIC: readonly FeatureType[] = ['numeric'];

export const DRIFT_METHODS: Readonly<Record<DriftMethodName, DriftMethod>> = {
  ks: {
    name: 'ks',
    input: 'samples',
    featureTypes: NUMERIC,
    defaultThreshold: P_VALUE_THRESHOLD,
    compute: (c) => {
      const { statistic, pValue } = ks2Samp(c.referenceSample, c.currentSample);
      return { statistic, pValue };
    },
    isDrift: (s, t) => (s.pValue ?? 1) <= t,
  },
  wasserstein: {
    name: 'wasserstein',
    input: 'samples',
    featureTypes: NUMERIC,
    defaultThreshold: DISTANCE_THRESHOLD,
    compute: (c) => ({ statistic: normedWassersteinDistance(c.referenceSample, c.currentSample), pValue: null }),
    isDrift: (s, t) => s.statistic >= t,
  },
  jensenshannon: {
    name: 'jensenshannon',
    input: 'counts',
    featureTypes: BOTH,
    defaultThreshold: DISTANCE_THRESHOLD,
    compute: (c) => ({ statistic: jensenShannonDistance(c.referenceCounts, c.currentCounts), pValue: null }),
    isDrift: (s, t) => s.statistic >= t,
  },
  chisquare: {
    name: 'chisquare',
    input: 'counts',
    featureTypes: BOTH,
    defaultThreshold: P_VALUE_THRESHOLD,
    compute: (c) => {
      const { statistic, pValue } = chiSquareDriftTest(c.referenceCounts, c.currentCounts);
      return { statistic, pValue };
    },
    isDrift: (s, t) => (s.pValue ?? 1) < t,
  },
  z: {
    name: 'z',
    input: 'counts',
    featureTypes: BOTH,
    defaultThreshold: P_VALUE_THRESHOLD,
    compute: (c) => {
      // Evidently's proportion: values other than the first category in sorted order.
      const referenceSize = total(c.referenceCounts);
      const currentSize = total(c.currentCounts);
      const { statistic, pValue } = proportionsZTest(
        referenceSize - c.referenceCounts[0],
        referenceSize,
        currentSize - c.currentCounts[0],
        currentSize,
      );
      return { statistic, pValue };
    },
    isDrift: (s, t) => (s.pValue ?? 1) < t,
  },
  psi: {
    name: 'psi',
    input: 'counts',
    featureTypes: BOTH,
    defaultThreshold: DISTANCE_THRESHOLD,
    compute: (c) => ({ statistic: populationStabilityIndex(c.referenceCounts, c.currentCounts), pValue: null }),
    isDrift: (s, t) => s.statistic >= t,
  },
};

export function isDriftMethodName(name: string): name is DriftMethodName {
  return Object.prototype.hasOwnProperty.call(DRIFT_METHODS, name);
}

function total(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum;
}
