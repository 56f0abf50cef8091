import { describe, expect, it } from 'vitest';
import { FlywheelError } from '../errors';
import { LATENCY_RELATIVE_ERROR } from './latency-histogram';
import { TelemetryRecorder } from './recorder';
import type { RollupRecord } from './rollup';
import { summarize } from './summary';
import { parseWindow, seriesStep, telemetryWindow } from './window';

const T0 = Date.UTC(2025, 0, 1, 10, 0);
const MIN = 60_000;

/** Version 1: 100 requests in minute 0 with latencies 1..100 ms, 5 of them 500s; version 2: 10 in minute 2. */
function records(): RollupRecord[] {
  const r = new TelemetryRecorder();
  const out: RollupRecord[] = [];
  for (let i = 1; i <= 100; i++) {
    r.record({ model: 'm', version: '1', at: T0 + i * 10, latencyMs: i, rows: 2, status: i % 20 === 0 ? 500 : 200 });
    // Drained in parts, as the flusher does every second: parts of one minute must add up.
    if (i % 30 === 0) out.push(...r.drain());
  }
  for (let i = 0; i < 10; i++)
    r.record({ model: 'm', version: '2', at: T0 + 2 * MIN + i, latencyMs: 7, rows: 1, status: i < 2 ? 400 : 200 });
  r.record({ model: 'm', version: '1', at: T0 + 5 * MIN, latencyMs: 1, rows: 1, status: 200 });
  r.record({ model: 'm', version: '1', at: T0 - 1, latencyMs: 1, rows: 1, status: 200 });
  return [...out, ...r.drain()];
}

describe('summarize', () => {
  const summary = summarize(records(), { from: T0, to: T0 + 3 * MIN, stepMs: MIN });

  it('totals requests, rows and errors over the window only', () => {
    expect(summary.totals).toMatchObject({
      requests: 110,
      rows: 210,
      errors: 7,
      errors_by_class: { '4xx': 2, '5xx': 5 },
    });
    expect(summary.totals.error_rate).toBeCloseTo(7 / 110, 12);
    expect([summary.from, summary.to, summary.step_ms]).toEqual([
      '2025-01-01T10:00:00.000Z',
      '2025-01-01T10:03:00.000Z',
      MIN,
    ]);
  });

  it('reports each version with latency quantiles within the histogram’s error', () => {
    const v1 = summary.versions['1'];
    expect(v1).toMatchObject({ requests: 100, rows: 200, errors: 5, error_rate: 0.05 });
    expect(v1.latency_ms.mean).toBe(50.5);
    // np.quantile(range(1, 101), q, method='lower'): 50, 95, 99
    for (const [q, exact] of [
      ['p50', 50],
      ['p95', 95],
      ['p99', 99],
    ] as const) {
      expect(Math.abs(v1.latency_ms[q]! - exact)).toBeLessThanOrEqual(LATENCY_RELATIVE_ERROR * exact);
    }
    expect(summary.versions['2']).toMatchObject({
      requests: 10,
      errors: 2,
      error_rate: 0.2,
      latency_ms: { p50: 7, p95: 7, p99: 7, mean: 7 },
    });
    expect(Object.keys(summary.versions)).toEqual(['1', '2']);
  });

  it('draws a series per step with every version, empty steps as zeros and null latencies', () => {
    expect(summary.series.map((p) => [p.start, p.requests, p.errors])).toEqual([
      ['2025-01-01T10:00:00.000Z', 100, 5],
      ['2025-01-01T10:01:00.000Z', 0, 0],
      ['2025-01-01T10:02:00.000Z', 10, 2],
    ]);
    expect(summary.series[1]).toMatchObject({
      p50: null,
      p95: null,
      versions: { '1': { requests: 0, p50: null }, '2': { requests: 0 } },
    });
    expect(summary.series[2].versions['2']).toEqual({ requests: 10, errors: 2, p50: 7, p95: 7 });
  });

  it('is all zeros for a window without traffic', () => {
    const quiet = summarize(records(), { from: T0 + 10 * MIN, to: T0 + 12 * MIN, stepMs: MIN });
    expect(quiet.totals).toMatchObject({ requests: 0, error_rate: null, latency_ms: { p50: null, mean: null } });
    expect(quiet.versions).toEqual({});
    expect(quiet.series).toHaveLength(2);
  });

  it('refuses a window that ends before it starts, or a step that gives too many points', () => {
    expect(() => summarize([], { from: T0, to: T0, stepMs: MIN })).toThrow(/\bto\b/);
    expect(() => summarize([], { from: 0, to: 7 * 24 * 60 * MIN, stepMs: 1 })).toThrow(FlywheelError);
  });
});

describe('parseWindow', () => {
  it('reads minutes, hours and days', () => {
    expect(['15m', '1h', '24h', '7d', ' 90m '].map((w) => parseWindow(w))).toEqual([
      15 * MIN,
      60 * MIN,
      24 * 60 * MIN,
      7 * 24 * 60 * MIN,
      90 * MIN,
    ]);
  });

  it('throws bad_input naming the parameter for anything else', () => {
    for (const bad of ['', '1', 'h', '0m', '1.5h', '-1h', '1w', '30s', '91d', '1H', '01h']) {
      let caught: unknown;
      try {
        parseWindow(bad, 'since');
      } catch (e) {
        caught = e;
      }
      expect(caught, bad).toBeInstanceOf(FlywheelError);
      const error = caught as FlywheelError;
      expect(error.code).toBe('bad_input');
      expect(error.message).toContain('since');
      expect(error.message).toContain(`"${bad}"`);
      expect(error.details[0].path).toBe('since');
    }
  });
});

describe('telemetryWindow', () => {
  it('picks a step giving at most 60 points', () => {
    expect(['15m', '1h', '24h', '7d'].map((w) => seriesStep(parseWindow(w)) / MIN)).toEqual([1, 1, 30, 360]);
  });

  it('ends with the step holding now, aligned to the step', () => {
    const now = T0 + 30 * MIN + 15_000;
    expect(telemetryWindow(now, '1h')).toEqual({ from: T0 - 29 * MIN, to: T0 + 31 * MIN, stepMs: MIN });
    const day = telemetryWindow(now, '24h');
    expect([day.to - day.from, day.to % (30 * MIN), day.to > now, day.to - 30 * MIN <= now]).toEqual([
      24 * 60 * MIN,
      0,
      true,
      true,
    ]);
  });
});
