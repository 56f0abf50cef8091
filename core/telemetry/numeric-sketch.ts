/**
 * What a serving window keeps of one numeric column: counts over the training baseline's histogram
 * bins, with underflow and overflow (values outside the training range are drift signal), a seeded
 * reservoir sample for the tests that need values (KS, Wasserstein), and count, missing and moments.
 * Bins follow the profile's rule: bin i is [edges[i], edges[i+1]), the last also holds its right edge.
 */
import { FlywheelError } from '../errors';
import type { Random } from '../random';
import { mergeWeightedSamples } from './sample-merge';

/**
 * Values sampled per sketch: KS on 1000 current values against a 4096-value baseline flags a gap of
 * ~0.05 between the CDFs at p = 0.05, while a stored minute stays near 20 kB per feature.
 */
export const RESERVOIR_SIZE = 1000;

export interface NumericSketch {
  type: 'numeric';
  /** Finite values seen. */
  count: number;
  /** Nulls, NaN, infinities and non-numbers. */
  missing: number;
  sum: number;
  sumsq: number;
  /** Extremes of the values (0 while count is 0, since JSON has no Infinity). */
  min: number;
  max: number;
  /** Counts over the baseline's bins; empty when the column had no baseline. */
  counts: number[];
  underflow: number;
  overflow: number;
  /** A uniform sample of the values: all of them while there are at most RESERVOIR_SIZE. */
  sample: number[];
}

export function emptyNumericSketch(bins: number): NumericSketch {
  return {
    type: 'numeric',
    count: 0,
    missing: 0,
    sum: 0,
    sumsq: 0,
    min: 0,
    max: 0,
    counts: new Array<number>(bins).fill(0),
    underflow: 0,
    overflow: 0,
    sample: [],
  };
}

/**
 * Adds one finite value: its bin over `edges` (null when there are no bins), the moments, and the
 * reservoir (Algorithm R: the n-th value replaces a random slot with probability size/n).
 */
export function addNumber(s: NumericSketch, v: number, edges: Float64Array | null, random: Random): void {
  s.count++;
  s.sum += v;
  s.sumsq += v * v;
  if (s.count === 1 || v < s.min) s.min = v;
  if (s.count === 1 || v > s.max) s.max = v;
  if (edges !== null) binValue(s, v, edges);
  if (s.sample.length < RESERVOIR_SIZE) s.sample.push(v);
  else {
    const slot = Math.floor(random() * s.count);
    if (slot < RESERVOIR_SIZE) s.sample[slot] = v;
  }
}

function binValue(s: NumericSketch, v: number, edges: Float64Array): void {
  const last = edges.length - 1;
  if (v < edges[0]) s.underflow++;
  else if (v > edges[last]) s.overflow++;
  else if (v === edges[last]) s.counts[last - 1]++;
  else {
    // edges[lo] <= v < edges[hi] throughout.
    let lo = 0;
    let hi = last;
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (edges[mid] <= v) lo = mid;
      else hi = mid;
    }
    s.counts[lo]++;
  }
}

export function copyNumericSketch(s: NumericSketch): NumericSketch {
  return { ...s, counts: s.counts.slice(), sample: s.sample.slice() };
}

/** Both sketches' values: counts and moments add, the samples merge weighted by count (seeded). */
export function mergeNumericSketches(a: NumericSketch, b: NumericSketch, seed: number, path: string): NumericSketch {
  if (a.counts.length !== b.counts.length) {
    throw new FlywheelError(
      'bad_data',
      `${path}: cannot merge sketches over ${a.counts.length} and ${b.counts.length} bins`,
      [{ path, message: 'histogram bins differ' }],
    );
  }
  return {
    type: 'numeric',
    count: a.count + b.count,
    missing: a.missing + b.missing,
    sum: a.sum + b.sum,
    sumsq: a.sumsq + b.sumsq,
    min: a.count === 0 ? b.min : b.count === 0 ? a.min : Math.min(a.min, b.min),
    max: a.count === 0 ? b.max : b.count === 0 ? a.max : Math.max(a.max, b.max),
    counts: a.counts.map((c, i) => c + b.counts[i]),
    underflow: a.underflow + b.underflow,
    overflow: a.overflow + b.overflow,
    sample: mergeWeightedSamples([a, b], seed, RESERVOIR_SIZE),
  };
}
