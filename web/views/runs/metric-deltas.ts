/**
 * The metric table of a run comparison: every metric any run has, each run's value, and its change
 * against the first run judged in the metric's own direction (higher accuracy is better, higher RMSE
 * is worse), read from the metric registry so the UI and the gates agree on what "better" means.
 */
import { METRIC_NAMES, isMetricName, metricInfo } from '../../../core/metrics/registry';

export type Verdict = 'better' | 'worse' | 'same' | null;

export interface MetricRow {
  name: string;
  label: string;
  /** null when the metric has no registered direction (then deltas are shown, not judged). */
  higherIsBetter: boolean | null;
  values: (number | null)[];
  /** value − first run's value; null for the first run and wherever either value is missing. */
  deltas: (number | null)[];
  verdicts: Verdict[];
}

/** Differences smaller than this are reported as the same (float noise, not a change). */
export const SAME_EPSILON = 1e-9;

/** One row per metric, registry metrics first in registry order, then others by name. */
export function metricRows(metrics: readonly (Record<string, number | null> | undefined)[]): MetricRow[] {
  const names = [...new Set(metrics.flatMap((m) => Object.keys(m ?? {})))];
  const order = (n: string): number => (isMetricName(n) ? METRIC_NAMES.indexOf(n) : Infinity);
  names.sort((a, b) => order(a) - order(b) || (a < b ? -1 : a > b ? 1 : 0));
  return names.map((name) => {
    const info = isMetricName(name) ? metricInfo(name) : null;
    const values = metrics.map((m) => numberOrNull(m?.[name]));
    const first = values[0];
    const deltas = values.map((v, i) => (i === 0 || v === null || first === null ? null : v - first));
    const verdicts = deltas.map((d): Verdict => {
      if (d === null || info === null) return null;
      if (Math.abs(d) <= SAME_EPSILON) return 'same';
      return d > 0 === info.higherIsBetter ? 'better' : 'worse';
    });
    return { name, label: info?.label ?? name, higherIsBetter: info?.higherIsBetter ?? null, values, deltas, verdicts };
  });
}

function numberOrNull(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** A delta with its sign, to 4 significant digits: +0.0123, −0.5, ±0. */
export function formatDelta(d: number | null): string {
  if (d === null) return '';
  if (Math.abs(d) <= SAME_EPSILON) return '±0';
  const text = String(Number(Math.abs(d).toPrecision(4)));
  return `${d > 0 ? '+' : '−'}${text}`;
}
