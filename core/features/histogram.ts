/** Fixed-bin histograms: the bins come from the data a profile was first built on and never move. */
export interface ProfileHistogram {
  /** Bin edges, ascending; bin i is [edges[i], edges[i+1]), the last bin also holds its right edge. */
  edges: number[];
  counts: number[];
  /** Values below the first edge / above the last (only data seen after the bins were fixed). */
  underflow: number;
  overflow: number;
}

/** Bins for a profile: equal width over [min, max]. */
export const HISTOGRAM_BINS = 20;

/** Edges over [min, max]: one bin per integer when the data are small integers, else HISTOGRAM_BINS equal bins. */
export function binEdges(min: number, max: number, integer: boolean): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (integer && max - min < HISTOGRAM_BINS) {
    return Array.from({ length: max - min + 2 }, (_, i) => min - 0.5 + i);
  }
  if (min === max) return [min - 0.5, max + 0.5];
  const width = (max - min) / HISTOGRAM_BINS;
  // A span past the largest double (-1e308 to 1e308): weighted ends, each term finite.
  const edges = Array.from({ length: HISTOGRAM_BINS + 1 }, (_, i) =>
    Number.isFinite(width) ? min + i * width : min * (1 - i / HISTOGRAM_BINS) + max * (i / HISTOGRAM_BINS),
  );
  edges[HISTOGRAM_BINS] = max;
  return edges;
}

/** Counts `values` (NaN skipped) into `edges`. */
export function histogram(values: Float64Array, edges: number[]): ProfileHistogram {
  const bins = edges.length - 1;
  const counts = new Float64Array(bins);
  const first = edges[0];
  const last = edges[bins];
  const width = (last - first) / bins;
  const equal = edges.every((e, i) => Math.abs(e - (first + i * width)) <= 1e-9 * Math.max(1, Math.abs(e)));
  let underflow = 0;
  let overflow = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) continue;
    if (v < first) underflow++;
    else if (v > last) overflow++;
    else {
      let b = equal ? Math.floor((v - first) / width) : upperBound(edges, v) - 1;
      if (b >= bins) b = bins - 1;
      else if (b > 0 && v < edges[b]) b--;
      else if (b < bins - 1 && v >= edges[b + 1]) b++;
      counts[b]++;
    }
  }
  return { edges, counts: Array.from(counts), underflow, overflow };
}

export function mergeProfileHistograms(a: ProfileHistogram, b: ProfileHistogram, column: string): ProfileHistogram {
  if (a.edges.length !== b.edges.length || a.edges.some((e, i) => e !== b.edges[i])) {
    throw new Error(
      `histograms of "${column}" have different bins; build the second profile with the first one's bins`,
    );
  }
  return {
    edges: a.edges,
    counts: a.counts.map((c, i) => c + b.counts[i]),
    underflow: a.underflow + b.underflow,
    overflow: a.overflow + b.overflow,
  };
}

/** Index of the first edge greater than v. */
function upperBound(edges: number[], v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edges[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
