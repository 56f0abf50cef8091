import { describe, expect, it } from 'vitest';
import { FlywheelError } from '../errors';
import { normal, seededRandom } from '../random';
import {
  emptyLatencyHistogram,
  LATENCY_RELATIVE_ERROR,
  latencyBucket,
  latencyMean,
  latencyQuantile,
  mergeLatencyHistograms,
  observeLatency,
  prometheusBuckets,
  PROMETHEUS_LATENCY_BOUNDARIES,
  type LatencyHistogram,
} from './latency-histogram';

/** Lognormal latencies around `medianMs`, seeded. */
function latencies(seed: number, n: number, medianMs: number, sigma: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => medianMs * Math.exp(sigma * normal(random)));
}

function histogramOf(values: readonly number[]): LatencyHistogram {
  const h = emptyLatencyHistogram();
  for (const v of values) observeLatency(h, v);
  return h;
}

/** NumPy's `np.quantile(values, q, method='lower')`. */
function lowerQuantile(sorted: readonly number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))];
}

const QUANTILES = [0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999];

describe('latency histogram', () => {
  it('states a relative error under 5% (24 buckets per decade)', () => {
    expect(LATENCY_RELATIVE_ERROR).toBeGreaterThan(0.047);
    expect(LATENCY_RELATIVE_ERROR).toBeLessThan(0.05);
  });

  it('puts a latency in the bucket whose range (lower, upper] holds it', () => {
    expect(latencyBucket(0)).toBe(0);
    expect(latencyBucket(-3)).toBe(0);
    expect(latencyBucket(NaN)).toBe(0);
    expect(latencyBucket(0.01)).toBe(0);
    expect(latencyBucket(0.0101)).toBe(1);
    // 1 ms is the upper edge of bucket 48 = 24 per decade × 2 decades above 0.01 ms
    expect(latencyBucket(1)).toBe(48);
    expect(latencyBucket(1.0001)).toBe(49);
    expect(latencyBucket(10)).toBe(72);
    expect(latencyBucket(100_000)).toBe(168);
    expect(latencyBucket(100_001)).toBe(169);
  });

  it('gives every quantile within the stated relative error of the exact one (0.01 ms absolute below 0.01 ms)', () => {
    for (const [seed, median, sigma] of [
      [1, 5, 1],
      [2, 0.3, 0.4],
      [3, 200, 1.5],
      [8, 0.05, 1],
    ]) {
      const values = latencies(seed, 20_000, median, sigma);
      const h = histogramOf(values);
      const sorted = [...values].sort((a, b) => a - b);
      for (const q of QUANTILES) {
        const exact = lowerQuantile(sorted, q);
        const estimate = latencyQuantile(h, q)!;
        const bound = exact <= 0.01 ? 0.01 : LATENCY_RELATIVE_ERROR * exact * (1 + 1e-12);
        expect(Math.abs(estimate - exact), `seed ${seed} q ${q}`).toBeLessThanOrEqual(bound);
      }
    }
  });

  it('is exact at q = 0 and q = 1, and stays within the extremes beyond the buckets', () => {
    const values = [0, 0.004, 0.009, 3, 250_000, 400_000];
    const h = histogramOf(values);
    expect(latencyQuantile(h, 0)).toBe(0);
    expect(latencyQuantile(h, 1)).toBe(400_000);
    // rank ⌊0.2·5⌋ = 1: 0.004 ms, in the underflow bucket, reported within 0.01 ms
    expect(Math.abs(latencyQuantile(h, 0.2)! - 0.004)).toBeLessThanOrEqual(0.01);
    // rank ⌊0.8·5⌋ = 4: 250 s, in the overflow bucket, reported as the maximum
    expect(latencyQuantile(h, 0.8)).toBe(400_000);
  });

  it('is empty as null, and refuses a quantile outside [0, 1]', () => {
    const h = emptyLatencyHistogram();
    expect(latencyQuantile(h, 0.5)).toBeNull();
    expect(latencyMean(h)).toBeNull();
    expect(() => latencyQuantile(h, 1.5)).toThrow(FlywheelError);
  });

  it('counts a negative duration (a clock stepping back) as 0 ms', () => {
    const h = histogramOf([-2, 4]);
    expect([h.count, h.sum, h.min, h.max]).toEqual([2, 4, 0, 4]);
  });

  it('merges by adding counts: the merge of two histograms is the histogram of both', () => {
    const a = latencies(4, 3000, 2, 1);
    const b = latencies(5, 1000, 40, 0.5);
    const merged = mergeLatencyHistograms(histogramOf(a), histogramOf(b));
    const both = histogramOf([...a, ...b]);
    expect(merged.counts).toEqual(both.counts);
    expect([merged.count, merged.min, merged.max]).toEqual([both.count, both.min, both.max]);
    expect(merged.sum).toBeCloseTo(both.sum, 6);
    expect(mergeLatencyHistograms(emptyLatencyHistogram(), histogramOf(a))).toEqual(histogramOf(a));
  });

  it('survives JSON unchanged', () => {
    const h = histogramOf(latencies(6, 500, 10, 1));
    expect(JSON.parse(JSON.stringify(h))).toEqual(h);
  });
});

describe('Prometheus view of the latency histogram', () => {
  const values = [...latencies(7, 5000, 20, 1.5), 1, 10, 100, 1000, 10_000, 0.5, 2.5];
  const h = histogramOf(values);
  const buckets = prometheusBuckets(h);
  const atOrBelow = (ms: number): number => values.filter((v) => v <= ms).length;

  it('is cumulative, ends with +Inf equal to the count', () => {
    expect(buckets.map((b) => b.le)).toEqual([...PROMETHEUS_LATENCY_BOUNDARIES, Infinity]);
    for (let i = 1; i < buckets.length; i++) expect(buckets[i].count).toBeGreaterThanOrEqual(buckets[i - 1].count);
    expect(buckets[buckets.length - 1].count).toBe(values.length);
  });

  it('never counts a latency above le, and misses only latencies within one bucket below it', () => {
    const ratio = 10 ** (1 / 24);
    for (const { le, count } of buckets.slice(0, -1)) {
      expect(count, `le ${le}`).toBeLessThanOrEqual(atOrBelow(le * 1000));
      expect(count, `le ${le}`).toBeGreaterThanOrEqual(atOrBelow((le * 1000) / ratio));
    }
  });

  it('is exact at the decades, where the log buckets have an edge', () => {
    for (const le of [0.001, 0.01, 0.1, 1, 10]) {
      expect(buckets.find((b) => b.le === le)!.count, `le ${le}`).toBe(atOrBelow(le * 1000));
    }
  });
});
