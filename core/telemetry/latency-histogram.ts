/**
 * Request latencies in fixed log-scale buckets (24 per decade, 0.01 ms to 100 s): any quantile is
 * known to within LATENCY_RELATIVE_ERROR of the true value whatever the distribution, two
 * histograms merge by adding counts, and the layout never changes, so a rollup stored today merges
 * with one stored next year. Buckets are upper-inclusive, (lower, upper], as Prometheus' `le` is,
 * which makes the decade boundaries (1 ms, 10 ms, 100 ms, 1 s, 10 s) exact in the Prometheus view.
 */
import { FlywheelError } from '../errors';

/** Buckets per decade: a ratio of 10^(1/24) ≈ 1.10 between edges, so quantiles are within 4.8%. */
export const LATENCY_BUCKETS_PER_DECADE = 24;
/** Lowest edge, ms: below the resolution of most clocks; faster requests share the underflow bucket. */
export const LATENCY_MIN_MS = 0.01;
/** Highest edge, ms (100 s): past any sane request timeout; slower requests share the overflow bucket. */
export const LATENCY_MAX_MS = 100_000;

const LOG_MIN = Math.log10(LATENCY_MIN_MS);
const LOG_BUCKETS = Math.round((Math.log10(LATENCY_MAX_MS) - LOG_MIN) * LATENCY_BUCKETS_PER_DECADE);
/** All buckets: underflow (≤ 0.01 ms), the log buckets, overflow (> 100 s). */
export const LATENCY_BUCKETS = LOG_BUCKETS + 2;
const OVERFLOW = LATENCY_BUCKETS - 1;
const RATIO = 10 ** (1 / LATENCY_BUCKETS_PER_DECADE);
/**
 * Worst relative error of a quantile inside [0.01 ms, 100 s]: a bucket (l, u] is reported as the
 * point 2lu/(l+u), within (u−l)/(u+l) of every value in it (DDSketch's estimator). Below 0.01 ms the
 * error is at most 0.01 ms absolute; above 100 s the estimate is the exact maximum.
 */
export const LATENCY_RELATIVE_ERROR = (RATIO - 1) / (RATIO + 1);

/** Upper edge (ms) of each bucket; the overflow bucket's is Infinity. */
const UPPER_EDGES = Float64Array.from({ length: LATENCY_BUCKETS }, (_, j) =>
  j === OVERFLOW ? Infinity : 10 ** (LOG_MIN + j / LATENCY_BUCKETS_PER_DECADE),
);

/** Latencies as plain JSON (it is stored in a rollup's JSON column). */
export interface LatencyHistogram {
  /** Per bucket: [0] ≤ 0.01 ms, [j] in (10^((j−1)/24−2), 10^(j/24−2)] ms, the last > 100 s. */
  counts: number[];
  count: number;
  /** Sum of the latencies, ms: the mean and Prometheus' `_sum`. */
  sum: number;
  /** Exact extremes, ms (0 while empty): q = 0 and q = 1 are exact and estimates never leave them. */
  min: number;
  max: number;
}

export function emptyLatencyHistogram(): LatencyHistogram {
  return { counts: new Array<number>(LATENCY_BUCKETS).fill(0), count: 0, sum: 0, min: 0, max: 0 };
}

/**
 * The bucket of a latency in ms. NaN and negative durations (a clock stepping backwards) go to the
 * underflow bucket; `observeLatency` counts them as 0 ms.
 */
export function latencyBucket(ms: number): number {
  if (!(ms > LATENCY_MIN_MS)) return 0;
  if (ms > LATENCY_MAX_MS) return OVERFLOW;
  const j = Math.ceil((Math.log10(ms) - LOG_MIN) * LATENCY_BUCKETS_PER_DECADE);
  // Rounding in log10 can put a value a hair past an edge into the neighbouring bucket; keep it in range.
  return j < 1 ? 1 : j > LOG_BUCKETS ? LOG_BUCKETS : j;
}

/** Counts one latency (ms); `bucket` lets a caller that updates several histograms compute it once. */
export function observeLatency(h: LatencyHistogram, ms: number, bucket = latencyBucket(ms)): void {
  const v = ms >= 0 && ms < Infinity ? ms : 0;
  h.counts[bucket]++;
  h.count++;
  h.sum += v;
  if (h.count === 1 || v < h.min) h.min = v;
  if (h.count === 1 || v > h.max) h.max = v;
}

/** Adds `from` into `into` (mutates `into`): the cheap form of a merge for summing many windows. */
export function addLatencyHistogram(into: LatencyHistogram, from: LatencyHistogram): void {
  if (from.count === 0) return;
  for (let j = 0; j < LATENCY_BUCKETS; j++) into.counts[j] += from.counts[j];
  into.min = into.count === 0 ? from.min : Math.min(into.min, from.min);
  into.max = into.count === 0 ? from.max : Math.max(into.max, from.max);
  into.count += from.count;
  into.sum += from.sum;
}

/** The histogram of both histograms' latencies: counts add, so merging is associative and commutative. */
export function mergeLatencyHistograms(a: LatencyHistogram, b: LatencyHistogram): LatencyHistogram {
  const out = emptyLatencyHistogram();
  addLatencyHistogram(out, a);
  addLatencyHistogram(out, b);
  return out;
}

/**
 * The q-quantile (ms) in NumPy's `method='lower'` sense — the value of 0-based rank ⌊q·(n−1)⌋ —
 * within LATENCY_RELATIVE_ERROR of it; exact for q = 0 and q = 1. Null when the histogram is empty.
 */
export function latencyQuantile(h: LatencyHistogram, q: number): number | null {
  if (!(q >= 0 && q <= 1)) {
    throw new FlywheelError('bad_input', `quantile must be in [0, 1], got ${q}`, [
      { path: 'q', message: 'out of range' },
    ]);
  }
  if (h.count === 0) return null;
  const rank = Math.floor(q * (h.count - 1));
  if (rank === 0) return h.min;
  if (rank === h.count - 1) return h.max;
  let seen = 0;
  for (let j = 0; j < LATENCY_BUCKETS; j++) {
    seen += h.counts[j];
    if (seen > rank) return Math.min(h.max, Math.max(h.min, bucketEstimate(j)));
  }
  return h.max;
}

/** Mean latency (ms), null when empty. */
export function latencyMean(h: LatencyHistogram): number | null {
  return h.count === 0 ? null : h.sum / h.count;
}

function bucketEstimate(j: number): number {
  if (j === 0) return 0;
  if (j === OVERFLOW) return Infinity;
  const upper = UPPER_EDGES[j];
  const lower = UPPER_EDGES[j - 1];
  return (2 * lower * upper) / (lower + upper);
}

/** Prometheus' usual `le` boundaries for request durations, in seconds. */
export const PROMETHEUS_LATENCY_BOUNDARIES: readonly number[] = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

export interface CumulativeBucket {
  /** Upper bound in seconds; the last is Infinity (`+Inf`). */
  le: number;
  count: number;
}

/** Slack for comparing a computed edge (10^x) with a decimal boundary. */
const EDGE_TOLERANCE = 1e-9;

/**
 * Cumulative counts at Prometheus `le` boundaries (seconds), ending with `+Inf` = count. A bucket
 * counts towards a boundary only when its whole range is at or below it, so a count never includes a
 * latency above `le`: exact at the decades, and elsewhere it may leave out latencies up to 10% below `le`.
 */
export function prometheusBuckets(
  h: LatencyHistogram,
  boundaries: readonly number[] = PROMETHEUS_LATENCY_BOUNDARIES,
): CumulativeBucket[] {
  const out: CumulativeBucket[] = [];
  let j = 0;
  let cumulative = 0;
  for (const le of boundaries) {
    const leMs = le * 1000 * (1 + EDGE_TOLERANCE);
    while (j < LATENCY_BUCKETS && UPPER_EDGES[j] <= leMs) cumulative += h.counts[j++];
    out.push({ le, count: cumulative });
  }
  out.push({ le: Infinity, count: h.count });
  return out;
}
