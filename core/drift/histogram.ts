/**
 * Histograms over fixed bins: the training baseline's bins, which the edge's sketches reuse so a
 * serving window can be compared bin by bin, and NumPy's `histogram_bin_edges(..., bins='sturges')`
 * for comparing raw samples the way Evidently does. Bin i is [edges[i], edges[i+1]); the last bin
 * also holds its right edge (NumPy's rule). Values outside the edges go to `underflow`/`overflow`
 * instead of being dropped, because serving values outside the training range are drift signal.
 */
import { FlywheelError } from '../errors';

export interface Histogram {
  /** Ascending bin edges; there is one more edge than counts. */
  edges: ArrayLike<number>;
  counts: ArrayLike<number>;
  /** Values below edges[0]. */
  underflow?: number;
  /** Values above the last edge. */
  overflow?: number;
}

/** Counts of the finite `values` over `edges` (NumPy's `np.histogram(values, edges)` plus out-of-range counts). */
export function histogramOf(values: ArrayLike<number>, edges: ArrayLike<number>): Histogram {
  if (edges.length < 2)
    throw new FlywheelError('bad_input', `a histogram needs at least 2 edges (got ${edges.length})`, [
      { path: 'edges', message: 'too few edges' },
    ]);
  const counts = new Float64Array(edges.length - 1);
  const last = edges[edges.length - 1];
  let underflow = 0;
  let overflow = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (!Number.isFinite(x)) continue;
    if (x < edges[0]) underflow++;
    else if (x > last) overflow++;
    else if (x === last) counts[counts.length - 1]++;
    else counts[upperBound(edges, x) - 1]++;
  }
  return { edges: Float64Array.from(edges), counts, underflow, overflow };
}

/** `np.histogram_bin_edges(values, bins='sturges')` for float values: ⌈range / (range / (log₂ n + 1))⌉ equal bins. */
export function sturgesBinEdges(values: ArrayLike<number>): Float64Array {
  if (values.length === 0)
    throw new FlywheelError('bad_input', 'sturgesBinEdges needs at least one value', [
      { path: 'values', message: 'empty' },
    ]);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (values[i] < min) min = values[i];
    if (values[i] > max) max = values[i];
  }
  const range = max - min;
  const width = range / (Math.log2(values.length) + 1);
  let first = min;
  let lastEdge = max;
  if (first === lastEdge) {
    first -= 0.5;
    lastEdge += 0.5;
  }
  const bins = width > 0 ? Math.ceil((lastEdge - first) / width) : 1;
  return linspace(first, lastEdge, bins + 1);
}

/**
 * The sum of histograms over the same bins: how the edge folds per-window sketches into a longer
 * window. Throws when the edges differ, since counts over different bins cannot be added.
 */
export function mergeHistograms(histograms: readonly Histogram[]): Histogram {
  if (histograms.length === 0)
    throw new FlywheelError('bad_input', 'mergeHistograms needs at least one histogram', [
      { path: 'histograms', message: 'empty' },
    ]);
  const [first] = histograms;
  const counts = new Float64Array(first.counts.length);
  let underflow = 0;
  let overflow = 0;
  histograms.forEach((h, index) => {
    assertSameBins(first, h, `histograms[${index}]`);
    for (let i = 0; i < counts.length; i++) counts[i] += h.counts[i];
    underflow += h.underflow ?? 0;
    overflow += h.overflow ?? 0;
  });
  return { edges: Float64Array.from(first.edges), counts, underflow, overflow };
}

/** Throws `bad_input` naming `path` unless `b` has exactly `a`'s edges and one count per bin. */
export function assertSameBins(a: Histogram, b: Histogram, path: string): void {
  const same =
    a.edges.length === b.edges.length &&
    Array.prototype.every.call(a.edges, (e: number, i: number) => e === b.edges[i]);
  if (!same)
    throw new FlywheelError('bad_input', `${path}: histogram bins differ from the baseline's`, [
      { path, message: 'edges differ' },
    ]);
  if (b.counts.length !== b.edges.length - 1) {
    throw new FlywheelError('bad_input', `${path}: ${b.counts.length} counts for ${b.edges.length - 1} bins`, [
      { path, message: 'counts length' },
    ]);
  }
}

/** `np.linspace(start, stop, num)`: start + i·step, with the last point exactly `stop`. */
function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  const step = (stop - start) / (num - 1);
  for (let i = 0; i < num; i++) out[i] = i * step + start;
  out[num - 1] = stop;
  return out;
}

/** The first index whose edge is greater than x. */
function upperBound(edges: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
