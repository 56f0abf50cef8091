import type { Policy } from './policy';
import { policyTimes } from './policy';

/** What the edge knows when it evaluates a model's triggers. */
export interface TriggerInputs {
  now: number;
  /** When the serving champion was published (ms). */
  championSince: number;
  /** When a trigger last fired (ms), for the cooldown. */
  lastTriggerAt: number | null;
  drift: { drift_share: number; features: { feature: string; drifted: boolean }[]; number_of_features: number } | null;
  online: { accuracy?: number; mae?: number; rmse?: number; feedback: number } | null;
  /** Labelled feedback rows received since the champion was published. */
  newFeedback: number;
}

export interface Trigger {
  cause: 'drift' | 'drift_features' | 'online_metric' | 'new_feedback' | 'interval';
  reason: string;
  numbers: Record<string, number | string>;
}

/**
 * The first trigger of the policy that fires, or null; nothing fires during the cooldown after the
 * last one, so one cause retrains once. Order: drift, named features, online metric, feedback, interval.
 */
export function evaluateTriggers(policy: Policy, s: TriggerInputs): Trigger | null {
  const t = policy.triggers;
  const times = policyTimes(policy);
  if (s.lastTriggerAt !== null && s.now - s.lastTriggerAt < times.cooldownMs) return null;
  if (t.driftShare !== undefined && s.drift && s.drift.number_of_features > 0 && s.drift.drift_share >= t.driftShare) {
    const drifted = s.drift.features.filter((f) => f.drifted).map((f) => f.feature);
    return {
      cause: 'drift',
      reason: `${(s.drift.drift_share * 100).toFixed(0)}% of features drifted (${drifted.join(', ')}), at or above the policy's ${(t.driftShare * 100).toFixed(0)}%`,
      numbers: { drift_share: s.drift.drift_share, threshold: t.driftShare },
    };
  }
  if (t.driftFeatures?.length && s.drift) {
    const hit = s.drift.features.filter((f) => f.drifted && t.driftFeatures!.includes(f.feature)).map((f) => f.feature);
    if (hit.length)
      return {
        cause: 'drift_features',
        reason: `watched feature(s) drifted: ${hit.join(', ')}`,
        numbers: { features: hit.join(',') },
      };
  }
  const om = t.onlineMetric;
  if (om && s.online && s.online.feedback >= om.minFeedback) {
    const value = s.online[om.metric];
    if (
      value !== undefined &&
      ((om.below !== undefined && value < om.below) || (om.above !== undefined && value > om.above))
    ) {
      const bound = om.below !== undefined && value < om.below ? `below ${om.below}` : `above ${om.above}`;
      return {
        cause: 'online_metric',
        reason: `online ${om.metric} ${value.toFixed(4)} over ${s.online.feedback} feedback rows is ${bound}`,
        numbers: { [om.metric]: value, feedback: s.online.feedback },
      };
    }
  }
  if (t.newFeedback !== undefined && s.newFeedback >= t.newFeedback) {
    return {
      cause: 'new_feedback',
      reason: `${s.newFeedback} new labelled rows since the champion was published (policy: ${t.newFeedback})`,
      numbers: { new_feedback: s.newFeedback },
    };
  }
  if (times.intervalMs !== null && s.now - s.championSince >= times.intervalMs) {
    return {
      cause: 'interval',
      reason: `the champion is older than the policy's interval of ${t.interval}`,
      numbers: { age_ms: s.now - s.championSince },
    };
  }
  return null;
}
