import { z } from 'zod';
import { FlywheelError } from '../errors';
import { gateSpecSchema } from '../gates';
import { isMetricName, METRIC_REGISTRY, type MetricName, type MetricTask } from '../metrics';
import { parseDuration } from './duration';

const duration = z.string().regex(/^\d+(\.\d+)?(s|m|h|d)$/, 'a duration such as 30s, 10m, 1h or 7d');
const metric = z.string().refine(isMetricName, 'an evaluation metric such as accuracy, f1_macro, rmse or r2');

/**
 * An automation policy (README, "The automated loop"): what triggers a retrain, which gates a challenger
 * must pass against the champion, how it rolls out and what rolls it back. Every field has a default,
 * so `{}` is a valid policy that only watches drift.
 */
export const policySchema = z.strictObject({
  triggers: z
    .strictObject({
      /** Share of drifted features that triggers a retrain (Evidently's dataset drift is 0.5). */
      driftShare: z.number().gt(0).max(1).optional(),
      /** Named features whose drift alone triggers a retrain. */
      driftFeatures: z.array(z.string().min(1)).optional(),
      onlineMetric: z
        .strictObject({
          metric: z.enum(['accuracy', 'mae', 'rmse']),
          below: z.number().optional(),
          above: z.number().optional(),
          minFeedback: z.number().int().positive().default(200),
        })
        .optional(),
      /** New labelled feedback rows since the champion was trained. */
      newFeedback: z.number().int().positive().optional(),
      interval: duration.optional(),
    })
    .default({ driftShare: 0.5 }),
  gates: z.array(gateSpecSchema).default([]),
  rollout: z
    .strictObject({
      steps: z.array(z.number().gt(0).max(1)).min(1).default([0.1, 0.5, 1]),
      minRequests: z.number().int().nonnegative().default(200),
      minDuration: duration.default('10m'),
      guardrails: z
        .strictObject({
          maxErrorRateDelta: z.number().nonnegative().default(0.01),
          maxP95Ratio: z.number().positive().default(1.5),
          minOnlineMetricDelta: z.number().default(-0.02),
        })
        .default({ maxErrorRateDelta: 0.01, maxP95Ratio: 1.5, minOnlineMetricDelta: -0.02 }),
    })
    .default({
      steps: [0.1, 0.5, 1],
      minRequests: 200,
      minDuration: '10m',
      guardrails: { maxErrorRateDelta: 0.01, maxP95Ratio: 1.5, minOnlineMetricDelta: -0.02 },
    }),
  cooldown: duration.default('1h'),
  /** Window of telemetry that drift and online metrics are judged on. */
  window: duration.default('1h'),
  /**
   * The most a retrain's model search may take when the champion's spec says `model.type: auto`: it caps
   * the spec's own `model.budget` (a runner may cap it further). Absent, the spec's budget holds.
   */
  searchBudget: z
    .string()
    .regex(/^\d+(\.\d+)?(s|m|h)$/, 'a duration such as 60s, 5m or 1h')
    .optional(),
  /** Attempts a retrain job gets before it is failed for good. */
  retries: z.number().int().min(1).max(10).default(3),
  /** The metric verification reports first (and the default gate's). */
  primaryMetric: metric.optional(),
});

export type Policy = z.output<typeof policySchema>;

/** Validates a policy; every problem is a detail with its JSON path (`rollout.steps.1`). */
export function parsePolicy(input: unknown, root = 'policy'): Policy {
  const parsed = policySchema.safeParse(input);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({
      path: [root, ...i.path.map(String)].join('.'),
      message: i.message,
    }));
    throw new FlywheelError(
      'bad_input',
      `invalid policy: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`,
      details,
    );
  }
  const p = parsed.data;
  const steps = p.rollout.steps;
  for (let i = 1; i < steps.length; i++) {
    if (steps[i] <= steps[i - 1])
      throw new FlywheelError(
        'bad_input',
        `${root}.rollout.steps must increase, but step ${i} (${steps[i]}) is not above ${steps[i - 1]}`,
        [{ path: `${root}.rollout.steps.${i}`, message: 'not increasing' }],
      );
  }
  if (steps[steps.length - 1] !== 1)
    throw new FlywheelError(
      'bad_input',
      `${root}.rollout.steps must end at 1 (all traffic), got ${steps[steps.length - 1]}`,
      [{ path: `${root}.rollout.steps`, message: 'does not end at 1' }],
    );
  return p;
}

/**
 * The metrics of a policy that a model of `task` does not have: a gate, the primary metric or the
 * online-metric trigger naming rmse for a classifier (or accuracy for a regressor) would never pass,
 * fire or mean anything. One detail per metric, with its path; none when the policy fits.
 */
export function policyTaskProblems(p: Policy, task: MetricTask, root = 'policy'): { path: string; message: string }[] {
  const named: { path: string; metric: MetricName }[] = [
    ...p.gates.map((g, i) => ({ path: `${root}.gates.${i}.metric`, metric: g.metric })),
    ...(p.primaryMetric ? [{ path: `${root}.primaryMetric`, metric: p.primaryMetric as MetricName }] : []),
    ...(p.triggers.onlineMetric
      ? [{ path: `${root}.triggers.onlineMetric.metric`, metric: p.triggers.onlineMetric.metric }]
      : []),
  ];
  return named
    .filter((n) => METRIC_REGISTRY[n.metric].task !== task)
    .map((w) => ({
      path: w.path,
      message: `${w.metric} is a ${METRIC_REGISTRY[w.metric].task} metric; this model is a ${task} model`,
    }));
}

/** Refuses a policy that does not fit a model of `task` (policyTaskProblems), naming every misfit. */
export function checkPolicyTask(p: Policy, task: MetricTask, root = 'policy'): void {
  const details = policyTaskProblems(p, task, root);
  if (!details.length) return;
  throw new FlywheelError(
    'bad_input',
    `invalid policy for a ${task} model: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`,
    details,
  );
}

/** Durations of a policy in milliseconds. */
export function policyTimes(p: Policy): {
  cooldownMs: number;
  windowMs: number;
  minDurationMs: number;
  intervalMs: number | null;
} {
  return {
    cooldownMs: parseDuration(p.cooldown, 'cooldown'),
    windowMs: parseDuration(p.window, 'window'),
    minDurationMs: parseDuration(p.rollout.minDuration, 'rollout.minDuration'),
    intervalMs: p.triggers.interval ? parseDuration(p.triggers.interval, 'triggers.interval') : null,
  };
}
