/**
 * Flywheel's `/metrics`: request counters by model, version and status class, prediction rows, the
 * request-duration histogram at Prometheus' usual buckets, and gauges for the models served and the
 * telemetry pipeline's own health. Counters are lifetime totals of this process, as Prometheus expects.
 */
import { renderExposition, type MetricFamily, type MetricSample } from './exposition';
import type { FlushStats } from './flusher';
import { prometheusBuckets } from './latency-histogram';
import type { VersionTotals } from './recorder';
import { STATUS_CLASSES, statusClassIndex } from './status-class';

export interface MetricsInput {
  /** The recorder's lifetime totals (`recorder.totals()`). */
  totals: readonly VersionTotals[];
  /** Models registered. */
  models?: number;
  /** The running Flywheel version, exposed as `flywheel_build_info{version}`. */
  version?: string;
  /**
   * The lean runtime's Dense kernel in this runtime (`wasm`: WebAssembly SIMD; `js`: where WebAssembly
   * cannot be compiled), the `inference_kernel` label of `flywheel_build_info`.
   */
  inferenceKernel?: 'wasm' | 'js';
  /** Rollups waiting for the next flush (`recorder.buffered`). */
  buffered?: number;
  flush?: FlushStats;
  /** The edge's prediction log: rows waiting to be written, and rows dropped because too many were waiting. */
  predictionLog?: { buffered: number; dropped: number };
  /** Requests the edge answered with an error status, by status: whatever the route, and whether or not a model was reached. */
  rejected?: ReadonlyMap<number, number>;
}

/** The exposition text (format 0.0.4) of Flywheel's metrics. */
export function prometheusText(input: MetricsInput): string {
  const families: MetricFamily[] = [];
  if (input.version !== undefined) {
    families.push(
      gauge('flywheel_build_info', "The running Flywheel version and the lean runtime's Dense kernel (always 1).", [
        {
          labels: {
            version: input.version,
            ...(input.inferenceKernel ? { inference_kernel: input.inferenceKernel } : {}),
          },
          value: 1,
        },
      ]),
    );
  }
  if (input.models !== undefined)
    families.push(gauge('flywheel_models', 'Models registered.', [{ labels: {}, value: input.models }]));
  families.push(
    {
      name: 'flywheel_requests_total',
      help: 'Prediction requests by model, version and HTTP status class.',
      type: 'counter',
      samples: input.totals.flatMap((t) =>
        STATUS_CLASSES.filter((c) => t.requests[c] > 0).map((c) => ({
          labels: { model: t.model, version: t.version, status_class: c },
          value: t.requests[c],
        })),
      ),
    },
    {
      name: 'flywheel_prediction_rows_total',
      help: 'Rows (instances) in prediction requests by model and version.',
      type: 'counter',
      samples: input.totals.map((t) => ({ labels: { model: t.model, version: t.version }, value: t.rows })),
    },
    {
      name: 'flywheel_request_duration_seconds',
      help: 'Prediction request latency in seconds (bucket boundaries other than the decades are within 10%).',
      type: 'histogram',
      samples: input.totals.flatMap(durationSamples),
    },
  );
  if (input.buffered !== undefined) {
    families.push(
      gauge('flywheel_telemetry_buffered_rollups', 'Telemetry rollups waiting for the next flush.', [
        { labels: {}, value: input.buffered },
      ]),
    );
  }
  if (input.flush !== undefined) {
    families.push(
      {
        name: 'flywheel_telemetry_flushes_total',
        help: 'Telemetry batches written.',
        type: 'counter',
        samples: [{ labels: {}, value: input.flush.flushes }],
      },
      {
        name: 'flywheel_telemetry_flush_failures_total',
        help: 'Telemetry batch writes that failed (each is retried).',
        type: 'counter',
        samples: [{ labels: {}, value: input.flush.failures }],
      },
    );
  }
  if (input.predictionLog !== undefined) {
    families.push(
      gauge('flywheel_prediction_log_buffered_rows', 'Logged predictions waiting to be written.', [
        { labels: {}, value: input.predictionLog.buffered },
      ]),
      {
        name: 'flywheel_prediction_log_dropped_rows_total',
        help: 'Predictions left out of the log because writes fell too far behind (feedback cannot join them).',
        type: 'counter',
        samples: [{ labels: {}, value: input.predictionLog.dropped }],
      },
    );
  }
  if (input.rejected !== undefined) {
    families.push({
      name: 'flywheel_rejected_requests_total',
      help: 'Requests answered with an error (bad JSON or content type, unknown model or route, too large, no key, bad rows, …) by HTTP status and its class, on every route.',
      type: 'counter',
      samples: [...input.rejected]
        .sort(([a], [b]) => a - b)
        .map(([status, value]) => ({
          labels: { status_class: STATUS_CLASSES[statusClassIndex(status)], code: String(status) },
          value,
        })),
    });
  }
  return renderExposition(families);
}

function durationSamples(t: VersionTotals): MetricSample[] {
  const labels = { model: t.model, version: t.version };
  return [
    ...prometheusBuckets(t.latency).map((b) => ({
      suffix: '_bucket',
      labels: { ...labels, le: formatLe(b.le) },
      value: b.count,
    })),
    { suffix: '_sum', labels, value: t.latency.sum / 1000 },
    { suffix: '_count', labels, value: t.latency.count },
  ];
}

function formatLe(le: number): string {
  return le === Infinity ? '+Inf' : String(le);
}

function gauge(name: string, help: string, samples: MetricSample[]): MetricFamily {
  return { name, help, type: 'gauge', samples };
}
