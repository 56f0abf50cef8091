/**
 * What `GET /v1/models/{name}/telemetry?window=1h` returns, from one model's stored rollups: totals
 * and per-version requests, rows, errors, error rate and latency quantiles, and a time series per
 * step. Records of the same minute (a minute is flushed in parts) simply add up.
 */
import { FlywheelError } from '../errors';
import {
  addLatencyHistogram,
  emptyLatencyHistogram,
  latencyMean,
  latencyQuantile,
  type LatencyHistogram,
} from './latency-histogram';
import type { ErrorCounts, RollupRecord } from './rollup';

export interface SummaryOptions {
  /** Window start, epoch ms (inclusive): records whose minute starts at or after it count. */
  from: number;
  /** Window end, epoch ms (exclusive). */
  to: number;
  stepMs: number;
}

/** Most points a series may have: a guard against a step that is tiny for its window. */
export const MAX_SERIES_STEPS = 10_000;

export interface LatencySummary {
  p50: number | null;
  p95: number | null;
  p99: number | null;
  mean: number | null;
}

export interface TrafficSummary {
  requests: number;
  rows: number;
  errors: number;
  errors_by_class: ErrorCounts;
  /** errors / requests; null without requests. */
  error_rate: number | null;
  /** Quantiles within LATENCY_RELATIVE_ERROR (4.8%), rounded to the microsecond. */
  latency_ms: LatencySummary;
}

export interface StepCounts {
  requests: number;
  errors: number;
  p50: number | null;
  p95: number | null;
}

export interface SeriesPoint extends StepCounts {
  /** Step start, ISO 8601. */
  start: string;
  /** Every version seen in the window, zeros where it had no traffic in this step. */
  versions: Record<string, StepCounts>;
}

export interface TelemetrySummary {
  from: string;
  to: string;
  step_ms: number;
  totals: TrafficSummary;
  versions: Record<string, TrafficSummary>;
  series: SeriesPoint[];
}

interface Tally {
  requests: number;
  rows: number;
  errors: ErrorCounts;
  latency: LatencyHistogram;
}

/** Summarises one model's rollup records over [from, to); records outside it are ignored. */
export function summarize(records: readonly RollupRecord[], options: SummaryOptions): TelemetrySummary {
  const { from, to, stepMs } = options;
  checkOptions(options);
  const steps = Math.ceil((to - from) / stepMs);
  const total = emptyTally();
  const byVersion = new Map<string, Tally>();
  const bySteps = Array.from({ length: steps }, () => ({ total: emptyTally(), versions: new Map<string, Tally>() }));
  for (const { version, minute, rollup } of records) {
    if (!(minute >= from && minute < to)) continue;
    const step = bySteps[Math.floor((minute - from) / stepMs)];
    for (const tally of [total, tallyOf(byVersion, version), step.total, tallyOf(step.versions, version)]) {
      tally.requests += rollup.requests;
      tally.rows += rollup.rows;
      tally.errors['4xx'] += rollup.errors['4xx'];
      tally.errors['5xx'] += rollup.errors['5xx'];
      addLatencyHistogram(tally.latency, rollup.latency);
    }
  }
  const versions = [...byVersion.keys()].sort(compareVersions);
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    step_ms: stepMs,
    totals: traffic(total),
    versions: Object.fromEntries(versions.map((v) => [v, traffic(byVersion.get(v)!)])),
    series: bySteps.map((step, i) => ({
      start: new Date(from + i * stepMs).toISOString(),
      ...stepCounts(step.total),
      versions: Object.fromEntries(versions.map((v) => [v, stepCounts(step.versions.get(v) ?? emptyTally())])),
    })),
  };
}

function checkOptions({ from, to, stepMs }: SummaryOptions): void {
  const bad = (path: string, message: string): FlywheelError =>
    new FlywheelError('bad_input', `telemetry summary: ${path} ${message}`, [{ path, message }]);
  if (!Number.isFinite(from)) throw bad('from', 'must be a finite epoch time in ms');
  if (!(Number.isFinite(to) && to > from)) throw bad('to', 'must be a finite epoch time after from');
  if (!(stepMs >= 1 && Number.isFinite(stepMs))) throw bad('stepMs', 'must be at least 1 ms');
  if ((to - from) / stepMs > MAX_SERIES_STEPS)
    throw bad('stepMs', `gives more than ${MAX_SERIES_STEPS} steps over the window`);
}

function emptyTally(): Tally {
  return { requests: 0, rows: 0, errors: { '4xx': 0, '5xx': 0 }, latency: emptyLatencyHistogram() };
}

function tallyOf(map: Map<string, Tally>, version: string): Tally {
  let tally = map.get(version);
  if (tally === undefined) map.set(version, (tally = emptyTally()));
  return tally;
}

function traffic(t: Tally): TrafficSummary {
  const errors = t.errors['4xx'] + t.errors['5xx'];
  return {
    requests: t.requests,
    rows: t.rows,
    errors,
    errors_by_class: { ...t.errors },
    error_rate: t.requests === 0 ? null : errors / t.requests,
    latency_ms: {
      p50: roundMs(latencyQuantile(t.latency, 0.5)),
      p95: roundMs(latencyQuantile(t.latency, 0.95)),
      p99: roundMs(latencyQuantile(t.latency, 0.99)),
      mean: roundMs(latencyMean(t.latency)),
    },
  };
}

function stepCounts(t: Tally): StepCounts {
  return {
    requests: t.requests,
    errors: t.errors['4xx'] + t.errors['5xx'],
    p50: roundMs(latencyQuantile(t.latency, 0.5)),
    p95: roundMs(latencyQuantile(t.latency, 0.95)),
  };
}

/** To the microsecond: finer digits are noise next to a 4.8% bucket. */
function roundMs(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms * 1000) / 1000;
}

/** Numeric versions in numeric order ("2" before "10"), others by code point after them. */
function compareVersions(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  const xn = a !== '' && Number.isFinite(x);
  const yn = b !== '' && Number.isFinite(y);
  if (xn && yn) return x - y || (a < b ? -1 : a > b ? 1 : 0);
  if (xn !== yn) return xn ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
