/**
 * The automation policy form's fields: where each sits in the policy JSON, how its text is read,
 * what it defaults to and a line of help. The form and the JSON view edit the same policy text;
 * an empty field is left out of the JSON, so the edge's default applies.
 */
import { checkPolicyTask, parsePolicy } from '../../../core/automation/policy';
import { FlywheelError } from '../../../core/errors';
import { METRIC_NAMES, METRIC_REGISTRY, type MetricName, type MetricTask } from '../../../core/metrics/registry';

export type FieldKind = 'number' | 'integer' | 'duration' | 'percent-list' | 'online-metric';

export interface PolicyField {
  /** Dotted path in the policy JSON. */
  path: string;
  label: string;
  kind: FieldKind;
  /** What applies when the field is empty, shown as the placeholder. */
  placeholder: string;
  help: string;
}

export interface PolicyGroup {
  title: string;
  fields: PolicyField[];
}

export const POLICY_GROUPS: readonly PolicyGroup[] = [
  {
    title: 'When to retrain',
    fields: [
      {
        path: 'triggers.driftShare',
        label: 'Drift share',
        kind: 'number',
        placeholder: '0.5',
        help: 'Retrain when at least this share of the input features drift (0.5 = half, Evidently’s “dataset drift”).',
      },
      {
        path: 'triggers.newFeedback',
        label: 'New labelled rows',
        kind: 'integer',
        placeholder: 'off',
        help: 'Retrain once this many rows of feedback (true labels) arrived since the champion was trained.',
      },
      {
        path: 'triggers.interval',
        label: 'At least every',
        kind: 'duration',
        placeholder: 'off',
        help: 'Retrain on a schedule too, e.g. 7d. Durations: 30s, 10m, 1h, 7d.',
      },
      {
        path: 'triggers.onlineMetric.metric',
        label: 'Online metric',
        kind: 'online-metric',
        placeholder: 'off',
        help: 'Judge the live model on its feedback: accuracy for classifiers, mae or rmse for regressors.',
      },
      {
        path: 'triggers.onlineMetric.below',
        label: 'Retrain when below',
        kind: 'number',
        placeholder: 'none',
        help: 'For accuracy: retrain when the online value falls under this (e.g. 0.8).',
      },
      {
        path: 'triggers.onlineMetric.above',
        label: 'Retrain when above',
        kind: 'number',
        placeholder: 'none',
        help: 'For an error such as mae or rmse: retrain when it rises over this.',
      },
      {
        path: 'triggers.onlineMetric.minFeedback',
        label: 'Feedback needed',
        kind: 'integer',
        placeholder: '200',
        help: 'Labelled rows needed before the online metric is trusted.',
      },
    ],
  },
  {
    title: 'How a challenger rolls out',
    fields: [
      {
        path: 'rollout.steps',
        label: 'Traffic steps (%)',
        kind: 'percent-list',
        placeholder: '10, 50, 100',
        help: 'The challenger’s share of traffic at each step, rising, ending at 100.',
      },
      {
        path: 'rollout.minRequests',
        label: 'Requests per step',
        kind: 'integer',
        placeholder: '200',
        help: 'Requests the challenger must serve at a step before the next one.',
      },
      {
        path: 'rollout.minDuration',
        label: 'Time per step',
        kind: 'duration',
        placeholder: '10m',
        help: 'Shortest time at each step, whatever the traffic.',
      },
      {
        path: 'rollout.guardrails.maxErrorRateDelta',
        label: 'Error rate over champion',
        kind: 'number',
        placeholder: '0.01',
        help: 'Roll back when the challenger’s error rate exceeds the champion’s by more than this (0.01 = 1 point).',
      },
      {
        path: 'rollout.guardrails.maxP95Ratio',
        label: 'p95 latency ratio',
        kind: 'number',
        placeholder: '1.5',
        help: 'Roll back when its p95 latency is more than this many times the champion’s.',
      },
      {
        path: 'rollout.guardrails.minOnlineMetricDelta',
        label: 'Online metric change',
        kind: 'number',
        placeholder: '-0.02',
        help: 'Roll back when its online metric is worse than the champion’s by more than this.',
      },
    ],
  },
  {
    title: 'Timing and retries',
    fields: [
      {
        path: 'cooldown',
        label: 'Cooldown',
        kind: 'duration',
        placeholder: '1h',
        help: 'Quiet time after a retrain before triggers may fire again.',
      },
      {
        path: 'window',
        label: 'Judged over',
        kind: 'duration',
        placeholder: '1h',
        help: 'The window of serving data that drift and online metrics are computed on.',
      },
      {
        path: 'retries',
        label: 'Attempts per job',
        kind: 'integer',
        placeholder: '3',
        help: 'How many times a failed retrain job is tried before it fails for good.',
      },
    ],
  },
];

/** The gate every retrained model must pass: beat the champion on a metric by at least a delta. */
export const GATE_HELP =
  'A retrained model must reach the champion’s value on this metric plus the margin (0 = at least as good; −0.01 allows one point worse) before it gets any traffic.';

/** The example a classifier without a policy starts from: drift and online accuracy, a three-step canary. */
export const EXAMPLE_POLICY = {
  triggers: { driftShare: 0.5, onlineMetric: { metric: 'accuracy', below: 0.8, minFeedback: 200 } },
  gates: [{ metric: 'accuracy', vsChampion: { minDelta: 0 } }],
  rollout: { steps: [0.1, 0.5, 1], minRequests: 200, minDuration: '10m' },
  cooldown: '1h',
};

/**
 * The example a model of `task` starts from. A regressor's errors have its target's scale, which no
 * example can know: drift triggers it, and the challenger must match the champion's RMSE.
 */
export function examplePolicy(task?: MetricTask): typeof EXAMPLE_POLICY | Record<string, unknown> {
  if (task !== 'regression') return EXAMPLE_POLICY;
  return { ...EXAMPLE_POLICY, triggers: { driftShare: 0.5 }, gates: [{ metric: 'rmse', vsChampion: { minDelta: 0 } }] };
}

/** The metrics a model of `task` has (every metric while its task is not known), for the gate's choice. */
export function metricsFor(task?: MetricTask): readonly MetricName[] {
  return METRIC_NAMES.filter((m) => !task || METRIC_REGISTRY[m].task === task);
}

/** The online metrics a model of `task` can be triggered on. */
export function onlineMetricsFor(task?: MetricTask): readonly string[] {
  return ['accuracy', 'mae', 'rmse'].filter((m) => !task || METRIC_REGISTRY[m as MetricName].task === task);
}

/** A field's text from the policy value at its path. */
export function fieldText(field: PolicyField, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (field.kind === 'percent-list')
    return Array.isArray(value)
      ? value.map((v) => String(Number((Number(v) * 100).toPrecision(6)))).join(', ')
      : String(value);
  return String(value);
}

/** What a field's text puts into the policy (undefined: leave it out); `bad_input` names the field when the text is not one. */
export function fieldValue(field: PolicyField, text: string): unknown {
  const t = text.trim();
  if (t === '') return undefined;
  const wrong = (what: string) =>
    new FlywheelError('bad_input', `${field.label}: ${what}`, [{ path: field.path, message: what }]);
  switch (field.kind) {
    case 'number':
    case 'integer': {
      const n = Number(t);
      if (!Number.isFinite(n)) throw wrong(`"${t}" is not a number`);
      if (field.kind === 'integer' && !Number.isInteger(n)) throw wrong(`"${t}" is not a whole number`);
      return n;
    }
    case 'percent-list': {
      const parts = t
        .split(/[\s,]+/)
        .filter(Boolean)
        .map(Number);
      if (parts.some((p) => !Number.isFinite(p)))
        throw wrong(`"${t}" is not a list of percentages such as 10, 50, 100`);
      return parts.map((p) => Number((p / 100).toPrecision(6)));
    }
    default:
      return t;
  }
}

/**
 * Problems of a policy text, keyed by the field path they concern ('' for the whole policy): JSON
 * syntax, then the edge's own validation (parsePolicy, the same the edge runs).
 */
export function policyProblems(text: string, task?: MetricTask): Map<string, string> {
  const out = new Map<string, string>();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    out.set('', `not valid JSON: ${(e as Error).message}`);
    return out;
  }
  try {
    const policy = parsePolicy(json);
    if (task) checkPolicyTask(policy, task);
  } catch (e) {
    if (!(e instanceof FlywheelError)) throw e;
    for (const d of e.details.length ? e.details : [{ path: '', message: e.message }]) {
      const path = fieldPathOf(d.path.replace(/^policy\.?/, ''));
      out.set(path, out.has(path) ? `${out.get(path)}; ${d.message}` : d.message);
    }
  }
  return out;
}

/** The form field a detail's path belongs to (`rollout.steps.2` → `rollout.steps`), or the path itself. */
function fieldPathOf(path: string): string {
  if (path.startsWith('gates')) return 'gates';
  return [...FORM_PATHS].find((p) => p !== '' && (path === p || path.startsWith(`${p}.`))) ?? path;
}

/**
 * Where policyProblems files what the form shows: its fields, the gate ('gates') and the policy as a
 * whole (''). A problem filed anywhere else has no place on the form (primaryMetric).
 */
export const FORM_PATHS: ReadonlySet<string> = new Set([
  '',
  'gates',
  ...POLICY_GROUPS.flatMap((g) => g.fields.map((f) => f.path)),
]);
