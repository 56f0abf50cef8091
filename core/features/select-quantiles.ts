import { quantileSorted } from './reservoir';

/** Ranges this short are finished by insertion sort. */
const INSERTION_MAX = 32;
/** Equal-width buckets of the counting pass: with a million values a bucket holds a few hundred. */
const BUCKETS = 1 << 12;
/** Below this many values the quickselect alone is cheaper than counting into buckets. */
const BUCKETS_MIN_VALUES = 1 << 14;
/** When the buckets that hold the ranks hold more than this share of the values (most in a few buckets), quickselect instead. */
const BUCKETS_MAX_SHARE = 0.125;

/**
 * Exact quantiles (numpy's linear interpolation) of `values` (no NaN) without sorting them (the sort
 * of each column was a quarter of a profile's time). Values are counted into equal-width buckets, and
 * only the few buckets that hold the ranks the quantiles read are gathered and sorted: three passes
 * that move almost nothing. Where most values share a bucket it falls back to a quickselect that
 * partitions only toward those ranks, O(n log q). Reorders `values`.
 */
export function selectQuantiles(values: Float64Array, qs: readonly number[]): number[] {
  const n = values.length;
  if (n === 0) return qs.map(() => NaN);
  const ranks = [
    ...new Set(qs.flatMap((q) => [Math.floor((n - 1) * q), Math.min(n - 1, Math.floor((n - 1) * q) + 1)])),
  ].sort((a, b) => a - b);
  if (n < BUCKETS_MIN_VALUES || !selectByBuckets(values, ranks)) selectRanks(values, ranks);
  // Every rank a quantile reads now holds its sorted value; quantileSorted reads only those.
  return qs.map((q) => quantileSorted(values, q));
}

/**
 * Puts the value of each rank where a full sort would, from buckets; false (values untouched) when the
 * buckets holding the ranks are too full to be worth it. Any bucket function that never decreases as
 * the value grows is exact; rounded floating-point steps never decrease, so the one below is.
 */
function selectByBuckets(values: Float64Array, ranks: number[]): boolean {
  const n = values.length;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const scale = BUCKETS / (max - min);
  if (!(scale > 0 && scale < Infinity)) return false;
  const last = BUCKETS - 1;
  const counts = new Int32Array(BUCKETS);
  for (let i = 0; i < n; i++) {
    const b = Math.floor((values[i] - min) * scale);
    counts[b < last ? b : last]++;
  }
  // Per rank its bucket; per bucket wanted, where its values start in `gathered`.
  const bucketOf: number[] = [];
  const firstRank: number[] = [];
  const start = new Int32Array(BUCKETS).fill(-1);
  let gatheredLength = 0;
  let b = 0;
  let below = 0;
  for (const r of ranks) {
    while (below + counts[b] <= r) below += counts[b++];
    bucketOf.push(b);
    firstRank.push(below);
    if (start[b] < 0) {
      start[b] = gatheredLength;
      gatheredLength += counts[b];
    }
  }
  if (gatheredLength > n * BUCKETS_MAX_SHARE) return false;
  const gathered = new Float64Array(gatheredLength);
  const filled = new Int32Array(BUCKETS);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    let k = Math.floor((v - min) * scale);
    if (k > last) k = last;
    if (start[k] >= 0) gathered[start[k] + filled[k]++] = v;
  }
  const sorted = new Set<number>();
  ranks.forEach((r, i) => {
    const k = bucketOf[i];
    const segment = gathered.subarray(start[k], start[k] + counts[k]);
    if (!sorted.has(k)) segment.sort();
    sorted.add(k);
    values[r] = segment[r - firstRank[i]];
  });
  return true;
}

/** Moves the value of each rank in `ranks` (ascending) to where a full sort would put it. */
function selectRanks(a: Float64Array, ranks: number[]): void {
  const stack: [number, number, number, number][] = [[0, a.length - 1, 0, ranks.length]];
  while (stack.length) {
    const [lo, hi, r0, r1] = stack.pop()!;
    if (r0 >= r1 || lo >= hi) continue;
    if (hi - lo < INSERTION_MAX) {
      insertionSort(a, lo, hi);
      continue;
    }
    const x = a[lo];
    const y = a[(lo + hi) >> 1];
    const z = a[hi];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    // Now a[lo..j] ≤ pivot ≤ a[i..hi], and anything between equals the pivot (already in place).
    let left = r0;
    while (left < r1 && ranks[left] <= j) left++;
    let right = left;
    while (right < r1 && ranks[right] < i) right++;
    stack.push([lo, j, r0, left], [i, hi, right, r1]);
  }
}

function insertionSort(a: Float64Array, lo: number, hi: number): void {
  for (let i = lo + 1; i <= hi; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= lo && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}
