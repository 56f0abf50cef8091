import { quantileSorted } from './reservoir';

/** Ranges this short are finished by insertion sort. */
const INSERTION_MAX = 32;
/** Equal-width buckets of the counting pass: with a million values a bucket holds a few hundred. */
const BUCKETS = 1 << 12;
/** Below this many values the quickselect alone is cheaper than counting into buckets. */
const BUCKETS_MIN_VALUES = 1 << 14;
/** When the buckets that hold the ranks hold more than this share of the values (most in a few buckets), quickselect instead. */
const BUCKETS_MAX_SHARE = 0.125;

/** What a caller already knows of `values`: how many are not NaN, the least and greatest of them, whether all are integers. */
export interface PresentValues {
  count: number;
  min: number;
  max: number;
  integer?: boolean;
}

/**
 * Exact quantiles (numpy's linear interpolation) of the values that are not NaN, without sorting
 * them (the sort of each column was a quarter of a profile's time) and without moving or copying
 * them (a copy of a column is fresh memory, and its page faults cost as much as the selection).
 * Integers that span fewer than BUCKETS values are counted, one count per integer. Other values are
 * counted into equal-width buckets, and only the few buckets that hold the ranks the quantiles read
 * are gathered and sorted: two passes that move almost nothing. Where most values share a bucket,
 * the present values are copied into `scratch` (made when too short) for a quickselect that
 * partitions only toward those ranks, O(n log q). `values` is left as it was.
 */
export function selectQuantiles(
  values: Float64Array,
  qs: readonly number[],
  known: PresentValues = presentValues(values),
  scratch?: Float64Array,
): number[] {
  const n = known.count;
  if (n === 0) return qs.map(() => NaN);
  const ranks = [
    ...new Set(qs.flatMap((q) => [Math.floor((n - 1) * q), Math.min(n - 1, Math.floor((n - 1) * q) + 1)])),
  ].sort((a, b) => a - b);
  const atRanks =
    (known.integer && known.max - known.min < BUCKETS && selectByCounting(values, known.min, known.max, ranks)) ||
    (n >= BUCKETS_MIN_VALUES && selectByBuckets(values, known, ranks)) ||
    selectByPartition(values, n, ranks, scratch);
  // The sorted order's values at the ranks a quantile reads, and nothing else: quantileSorted reads only those.
  const sorted: { length: number; [rank: number]: number } = { length: n };
  ranks.forEach((r, i) => (sorted[r] = atRanks[i]));
  return qs.map((q) => quantileSorted(sorted, q));
}

function presentValues(values: Float64Array): PresentValues {
  let count = 0;
  let min = Infinity;
  let max = -Infinity;
  let integer = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) continue;
    count++;
    if (v < min) min = v;
    if (v > max) max = v;
    if (integer && Math.floor(v) !== v) integer = false;
  }
  return { count, min, max, integer };
}

/**
 * The value of each rank (ascending) of integers that span fewer than BUCKETS values (codes, counts,
 * small categories as numbers): one count per integer, so a rank's value is its bucket's. Ties are
 * the rule in such columns, and they are what makes a quickselect slow.
 */
function selectByCounting(values: Float64Array, min: number, max: number, ranks: number[]): number[] {
  const counts = new Int32Array(max - min + 1);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === v) counts[v - min]++;
  }
  let b = 0;
  let below = 0;
  return ranks.map((r) => {
    while (below + counts[b] <= r) below += counts[b++];
    return min + b;
  });
}

/**
 * The value of each rank (ascending) in the sorted order of the present values, from buckets; null
 * when the buckets holding the ranks are too full to be worth it. Any bucket function that never
 * decreases as the value grows is exact; rounded floating-point steps never decrease, so the one
 * below is.
 */
function selectByBuckets(values: Float64Array, known: PresentValues, ranks: number[]): number[] | null {
  const { min, max } = known;
  const n = values.length;
  const scale = BUCKETS / (max - min);
  if (!(scale > 0 && scale < Infinity)) return null;
  const last = BUCKETS - 1;
  const counts = new Int32Array(BUCKETS);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v !== v) continue;
    const b = Math.floor((v - min) * scale);
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
  if (gatheredLength > known.count * BUCKETS_MAX_SHARE) return null;
  const gathered = new Float64Array(gatheredLength);
  const filled = new Int32Array(BUCKETS);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    // Skipped before Math.floor: a NaN index there would send V8's optimised loop back to the interpreter.
    if (v !== v) continue;
    let k = Math.floor((v - min) * scale);
    if (k > last) k = last;
    if (start[k] >= 0) gathered[start[k] + filled[k]++] = v;
  }
  const sorted = new Set<number>();
  return ranks.map((r, i) => {
    const k = bucketOf[i];
    const segment = gathered.subarray(start[k], start[k] + counts[k]);
    if (!sorted.has(k)) segment.sort();
    sorted.add(k);
    return segment[r - firstRank[i]];
  });
}

/** The value of each rank (ascending) from a quickselect over a copy of the `count` present values. */
function selectByPartition(values: Float64Array, count: number, ranks: number[], scratch?: Float64Array): number[] {
  const present = presentCopy(values, count, scratch);
  selectRanks(present, ranks);
  return ranks.map((r) => present[r]);
}

/** The `count` values of `values` that are not NaN, in order, in `scratch` when it is long enough (else fresh memory). */
export function presentCopy(values: Float64Array, count: number, scratch?: Float64Array): Float64Array {
  const present = scratch && scratch.length >= count ? scratch.subarray(0, count) : new Float64Array(count);
  let k = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) present[k++] = values[i];
  return present;
}

/**
 * Moves the value of each rank in `ranks` (ascending) to where a full sort would put it: a quickselect
 * whose pivot is the median of three values at pseudo-random places (first, middle and last made one
 * crafted order — descending values and one outlier — quadratic: a million values never finished), and
 * which sorts a range outright once it has been split more than 2·log2(n) times (introselect), so no
 * order of values takes more than O(n log n).
 */
function selectRanks(a: Float64Array, ranks: number[]): void {
  const maxDepth = 2 * Math.ceil(Math.log2(a.length + 1));
  let seed = 0x2545f491;
  const at = (lo: number, hi: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) | 0;
    return lo + ((seed >>> 8) % (hi - lo + 1));
  };
  const stack: [number, number, number, number, number][] = [[0, a.length - 1, 0, ranks.length, 0]];
  while (stack.length) {
    const [lo, hi, r0, r1, depth] = stack.pop()!;
    if (r0 >= r1 || lo >= hi) continue;
    if (hi - lo < INSERTION_MAX) {
      insertionSort(a, lo, hi);
      continue;
    }
    if (depth > maxDepth) {
      a.subarray(lo, hi + 1).sort();
      continue;
    }
    const x = a[at(lo, hi)];
    const y = a[at(lo, hi)];
    const z = a[at(lo, hi)];
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
    stack.push([lo, j, r0, left, depth + 1], [i, hi, right, r1, depth + 1]);
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
