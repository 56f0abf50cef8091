/**
 * Chart series from the edge's telemetry summary (`GET …/telemetry?window=…`): requests per second,
 * latency p50 and p95 and errors, one line per model version over the summary's time steps. The
 * last step is still filling, so its rate divides by the time it has covered, not the whole step.
 */
import type { OnlineMetrics } from '../../../core/api/contract';
import type { TelemetrySummary } from '../../../core/telemetry/summary';
import type { LiveLine } from '../../lib/charts/types';

/** Online metrics of a version from feedback, as the telemetry response's `online` array holds them. */
export type OnlineRow = OnlineMetrics;

export interface TelemetryCharts {
  /** Step starts, unix seconds (uPlot's time axis). */
  times: number[];
  requestsPerSec: LiveLine[];
  p50: LiveLine[];
  p95: LiveLine[];
  errors: LiveLine[];
}

/** Per-version lines of every chart; versions are listed as the summary lists them (numeric order). */
export function telemetryCharts(summary: TelemetrySummary): TelemetryCharts {
  const versions = Object.keys(summary.versions);
  const to = Date.parse(summary.to);
  const starts = summary.series.map((p) => Date.parse(p.start));
  const seconds = starts.map((s) => Math.max(1, Math.min(summary.step_ms, to - s)) / 1000);
  const line = (
    pick: (c: { requests: number; errors: number; p50: number | null; p95: number | null }, i: number) => number | null,
  ): LiveLine[] =>
    versions.map((v) => ({
      label: `v${v}`,
      values: summary.series.map((p, i) => (p.versions[v] ? pick(p.versions[v], i) : null)),
    }));
  return {
    times: starts.map((s) => s / 1000),
    requestsPerSec: line((c, i) => c.requests / seconds[i]),
    p50: line((c) => c.p50),
    p95: line((c) => c.p95),
    errors: line((c) => c.errors),
  };
}
