import { quantileSorted } from './reservoir';

/** Ranges this short are finished by insertion sort. */
const INSERTION_MAX = 32;

/**
 * Exact quantiles (numpy's linear interpolation) of `values` (no NaN) without sorting them: a
 * quickselect that partitions only toward the ranks the quantiles read, O(n log q) instead of a
 * full sort's O(n log n) (the sort of each column was a quarter of a profile's time). Reorders `values`.
 */
export function selectQuantiles(values: Float64Array, qs: readonly number[]): number[] {
  const n = values.length;
  if (n === 0) return qs.map(() => NaN);
  const ranks = [
    ...new Set(qs.flatMap((q) => [Math.floor((n - 1) * q), Math.min(n - 1, Math.floor((n - 1) * q) + 1)])),
  ].sort((a, b) => a - b);
  selectRanks(values, ranks);
  // Every rank a quantile reads now holds its sorted value; quantileSorted reads only those.
  return qs.map((q) => quantileSorted(values, q));
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
