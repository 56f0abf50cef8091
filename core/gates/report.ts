/**
 * What a gate evaluation returns: every check with both values, so a person (or the audit log) can
 * see why a candidate was published or refused without recomputing anything. Plain JSON.
 */
import type { MetricName } from '../metrics';

/** `min`/`max` are value thresholds; `minDelta`/`minRatio` are change thresholds against the champion. */
export type GateCheckKind = 'min' | 'max' | 'minDelta' | 'minRatio';

export interface GateCheck {
  /** Index of the gate in the spec that produced this check. */
  gate: number;
  metric: MetricName;
  kind: GateCheckKind;
  threshold: number;
  higherIsBetter: boolean;
  /** The candidate's value, null when it has none. */
  candidate: number | null;
  /** The champion's value, null when there is no champion or it has no value. */
  champion: number | null;
  /** Improvement over the champion in the metric's direction, when both values exist. */
  delta: number | null;
  /** 1 + delta / |champion|, when both values exist and the champion's is not 0. */
  ratio: number | null;
  passed: boolean;
  reason: string;
}

export interface GateReport {
  passed: boolean;
  /** Whether a champion was given; without one, change thresholds pass. */
  hasChampion: boolean;
  checks: GateCheck[];
  /** One line for logs and the CLI. */
  summary: string;
}
