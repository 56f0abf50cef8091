import type { Policy } from './policy';
import { policyTimes } from './policy';

/** A canary in progress: survives restarts (stored at the edge). */
export interface RolloutState {
  champion: number;
  challenger: number;
  /** Index into policy.rollout.steps. */
  step: number;
  /** When the current step began (ms). */
  stepStartedAt: number;
}

/** Live numbers of one version since the step began. */
export interface VersionStats {
  requests: number;
  errorRate: number;
  p95Ms: number | null;
  /** Online metric from feedback (accuracy, or −MAE for regression so higher is better), with its count. */
  online: number | null;
  feedback: number;
}

export type RolloutDecision =
  | { action: 'hold'; reason: string }
  | { action: 'advance'; weight: number; reason: string; numbers: Record<string, number | null> }
  | { action: 'promote'; reason: string; numbers: Record<string, number | null> }
  | { action: 'rollback'; reason: string; numbers: Record<string, number | null> };

/** Feedback rows needed before the online-metric guardrail is judged. */
export const MIN_FEEDBACK_FOR_GUARDRAIL = 30;

/**
 * One step of the rollout state machine. Guardrails are checked first at every tick (a breach rolls
 * back at once, whatever the step); a step advances only after `minRequests` challenger requests and
 * `minDuration`; after the last step (100%) the challenger is promoted.
 */
export function decideRollout(
  policy: Policy,
  state: RolloutState,
  challenger: VersionStats,
  champion: VersionStats,
  now: number,
): RolloutDecision {
  const g = policy.rollout.guardrails;
  const numbers = {
    challenger_requests: challenger.requests,
    challenger_error_rate: challenger.errorRate,
    champion_error_rate: champion.errorRate,
    challenger_p95_ms: challenger.p95Ms,
    champion_p95_ms: champion.p95Ms,
    challenger_online: challenger.online,
    champion_online: champion.online,
  };
  if (challenger.requests > 0 && challenger.errorRate - champion.errorRate > g.maxErrorRateDelta) {
    return {
      action: 'rollback',
      reason: `error rate ${(challenger.errorRate * 100).toFixed(2)}% vs champion ${(champion.errorRate * 100).toFixed(2)}%: delta above ${(g.maxErrorRateDelta * 100).toFixed(2)}%`,
      numbers,
    };
  }
  if (
    challenger.p95Ms !== null &&
    champion.p95Ms !== null &&
    champion.p95Ms > 0 &&
    challenger.p95Ms / champion.p95Ms > g.maxP95Ratio
  ) {
    return {
      action: 'rollback',
      reason: `p95 latency ${challenger.p95Ms.toFixed(2)} ms is ${(challenger.p95Ms / champion.p95Ms).toFixed(2)}× the champion's (limit ${g.maxP95Ratio}×)`,
      numbers,
    };
  }
  if (
    challenger.online !== null &&
    champion.online !== null &&
    challenger.feedback >= MIN_FEEDBACK_FOR_GUARDRAIL &&
    champion.feedback >= MIN_FEEDBACK_FOR_GUARDRAIL &&
    challenger.online - champion.online < g.minOnlineMetricDelta
  ) {
    return {
      action: 'rollback',
      reason: `online metric ${challenger.online.toFixed(4)} vs champion ${champion.online.toFixed(4)}: below the allowed delta ${g.minOnlineMetricDelta}`,
      numbers,
    };
  }
  const { minDurationMs } = policyTimes(policy);
  const waited = now - state.stepStartedAt;
  const steps = policy.rollout.steps;
  if (challenger.requests < policy.rollout.minRequests || waited < minDurationMs) {
    return {
      action: 'hold',
      reason: `step ${state.step + 1}/${steps.length} (${Math.round(steps[state.step] * 100)}%): ${challenger.requests}/${policy.rollout.minRequests} requests, ${Math.round(waited / 1000)}/${Math.round(minDurationMs / 1000)} s`,
    };
  }
  if (state.step + 1 >= steps.length) {
    return {
      action: 'promote',
      reason: `healthy through every step (${steps.map((s) => `${Math.round(s * 100)}%`).join(' → ')})`,
      numbers,
    };
  }
  return {
    action: 'advance',
    weight: steps[state.step + 1],
    reason: `step ${state.step + 1} healthy: ${challenger.requests} requests over ${Math.round(waited / 1000)} s`,
    numbers,
  };
}
