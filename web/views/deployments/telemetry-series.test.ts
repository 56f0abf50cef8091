import { describe, expect, it } from 'vitest';
import type { TelemetrySummary } from '../../../core/telemetry/summary';
import { telemetryCharts } from './telemetry-series';

const traffic = {
  requests: 0,
  rows: 0,
  errors: 0,
  errors_by_class: { '4xx': 0, '5xx': 0 },
  error_rate: null,
  latency_ms: { p50: null, p95: null, p99: null, mean: null },
};

describe('telemetryCharts', () => {
  it('gives one line per version, rates over the covered part of the last step', () => {
    const summary: TelemetrySummary = {
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-01-01T00:01:30.000Z',
      step_ms: 60_000,
      totals: traffic,
      versions: { '1': traffic, '2': traffic },
      series: [
        {
          start: '2026-01-01T00:00:00.000Z',
          requests: 120,
          errors: 1,
          p50: 2,
          p95: 5,
          versions: {
            '1': { requests: 120, errors: 1, p50: 2, p95: 5 },
            '2': { requests: 0, errors: 0, p50: null, p95: null },
          },
        },
        {
          start: '2026-01-01T00:01:00.000Z',
          requests: 45,
          errors: 0,
          p50: 3,
          p95: 4,
          versions: {
            '1': { requests: 30, errors: 0, p50: 3, p95: 4 },
            '2': { requests: 15, errors: 0, p50: 1, p95: 2 },
          },
        },
      ],
    };
    const c = telemetryCharts(summary);
    expect(c.times).toEqual([Date.UTC(2026, 0, 1) / 1000, Date.UTC(2026, 0, 1, 0, 1) / 1000]);
    expect(c.requestsPerSec).toEqual([
      { label: 'v1', values: [2, 1] },
      { label: 'v2', values: [0, 0.5] },
    ]);
    expect(c.p95).toEqual([
      { label: 'v1', values: [5, 4] },
      { label: 'v2', values: [null, 2] },
    ]);
    expect(c.errors[0].values).toEqual([1, 0]);
  });

  it('has no lines without traffic', () => {
    const c = telemetryCharts({
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-01-01T00:01:00.000Z',
      step_ms: 60_000,
      totals: traffic,
      versions: {},
      series: [{ start: '2026-01-01T00:00:00.000Z', requests: 0, errors: 0, p50: null, p95: null, versions: {} }],
    });
    expect(c.requestsPerSec).toEqual([]);
    expect(c.times).toHaveLength(1);
  });
});
