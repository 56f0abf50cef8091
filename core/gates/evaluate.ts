/**
 * Evaluates gates TFMA-style: every threshold of every gate becomes one check, and the candidate
 * passes only if all of them pass.
 */
import { metricInfo, metricReason, metricValues, type MetricName, type MetricValues, type Metrics } from '../metrics';
import { changeCheck, valueCheck, type CheckContext } from './checks';
import { improvement, improvementRatio } from './improvement';
import type { GateCheck, GateReport } from './report';
import type { GateSpec } from './spec';

function valueOf(metrics: Metrics | MetricValues, name: MetricName): number | null {
  const v = metricValues(metrics)[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * Checks a candidate's metrics against `gates`, and against the champion's when there is one.
 * Metrics may be a full `Metrics` result or a flat `{name: value}` record.
 *
 * Direction comes from the metric registry. A change threshold measures improvement, always positive
 * when the candidate is better: `candidate − champion` for higher-is-better metrics (accuracy, AUC),
 * `champion − candidate` for lower-is-better ones (rmse, log_loss). So `minDelta: 0` means "no worse",
 * `minDelta: -0.01` means "may be worse by at most 0.01" (accuracy down to champion − 0.01, rmse up to
 * champion + 0.01), and `minDelta: 0.005` demands an improvement. `minRatio` compares
 * `1 + improvement / |champion|` (candidate / champion for a positive higher-is-better metric), so
 * `minRatio: 0.98` allows the candidate to be worse by 2% of the champion's value in either direction.
 *
 * A metric the candidate lacks (absent, null, or undefined for its data) fails every check on it.
 * Without a champion, or when the champion lacks the metric, change thresholds pass and say so.
 */
export function evaluateGates(
  gates: readonly GateSpec[],
  candidate: Metrics | MetricValues,
  champion: Metrics | MetricValues | null,
): GateReport {
  const checks: GateCheck[] = [];
  gates.forEach((gate, index) => {
    const { higherIsBetter } = metricInfo(gate.metric);
    const c = valueOf(candidate, gate.metric);
    const p = champion === null ? null : valueOf(champion, gate.metric);
    const ctx: CheckContext = {
      gate: index,
      metric: gate.metric,
      higherIsBetter,
      candidate: c,
      candidateReason: metricReason(candidate, gate.metric),
      hasChampion: champion !== null,
      champion: p,
      championReason: champion === null ? undefined : metricReason(champion, gate.metric),
      delta: c === null || p === null ? null : improvement(c, p, higherIsBetter),
      ratio: c === null || p === null ? null : improvementRatio(c, p, higherIsBetter),
    };
    if (gate.min !== undefined) checks.push(valueCheck(ctx, 'min', gate.min));
    if (gate.max !== undefined) checks.push(valueCheck(ctx, 'max', gate.max));
    if (gate.vsChampion !== undefined) checks.push(changeCheck(ctx, gate.vsChampion));
  });
  const failed = checks.filter((check) => !check.passed);
  return { passed: failed.length === 0, hasChampion: champion !== null, checks, summary: summarise(checks, failed) };
}

function summarise(checks: readonly GateCheck[], failed: readonly GateCheck[]): string {
  if (checks.length === 0) return 'no gates: passed';
  if (failed.length === 0) return `all ${checks.length} gate checks passed`;
  const names = failed.map((check) => `${check.metric} ${check.kind}`).join(', ');
  return `${failed.length} of ${checks.length} gate checks failed: ${names}`;
}
