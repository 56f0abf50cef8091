/**
 * Category counts as drift compares them: the union of categories seen on either side (Evidently
 * drops categories with no values on both), in a stable sorted order so the z-test's "first
 * category" and every sum are reproducible, and a merge for folding sketches across windows.
 */
import { FlywheelError } from '../errors';

export interface AlignedCounts<K extends string | number> {
  keys: K[];
  reference: Float64Array;
  current: Float64Array;
}

/** Both sides' counts over the sorted union of categories with a non-zero count on either side. */
export function alignCategoryCounts(
  reference: Readonly<Record<string, number>>,
  current: Readonly<Record<string, number>>,
  path: string,
): AlignedCounts<string> {
  checkCounts(reference, `${path}.reference`);
  checkCounts(current, `${path}.current`);
  const keys = [...new Set([...Object.keys(reference), ...Object.keys(current)])]
    .filter((k) => (reference[k] ?? 0) > 0 || (current[k] ?? 0) > 0)
    .sort(compareCodePoints);
  return {
    keys,
    reference: Float64Array.from(keys, (k) => reference[k] ?? 0),
    current: Float64Array.from(keys, (k) => current[k] ?? 0),
  };
}

/** Counts of each distinct value of two numeric samples over their sorted union of values. */
export function alignValueCounts(reference: Float64Array, current: Float64Array): AlignedCounts<number> {
  const counts = new Map<number, [number, number]>();
  for (const x of reference) bump(counts, x, 0);
  for (const x of current) bump(counts, x, 1);
  const keys = [...counts.keys()].sort((a, b) => a - b);
  return {
    keys,
    reference: Float64Array.from(keys, (k) => counts.get(k)![0]),
    current: Float64Array.from(keys, (k) => counts.get(k)![1]),
  };
}

/** The per-category sum of several windows' counts. */
export function mergeCategoryCounts(windows: readonly Readonly<Record<string, number>>[]): Record<string, number> {
  const merged: Record<string, number> = {};
  windows.forEach((counts, index) => {
    checkCounts(counts, `windows[${index}]`);
    for (const [key, count] of Object.entries(counts)) merged[key] = (merged[key] ?? 0) + count;
  });
  return merged;
}

function bump(counts: Map<number, [number, number]>, x: number, side: 0 | 1): void {
  const entry = counts.get(x);
  if (entry) entry[side]++;
  else counts.set(x, side === 0 ? [1, 0] : [0, 1]);
}

function checkCounts(counts: Readonly<Record<string, number>>, path: string): void {
  for (const [key, count] of Object.entries(counts)) {
    if (!(Number.isFinite(count) && count >= 0)) {
      throw new FlywheelError('bad_input', `${path}: count of "${key}" is ${count}, expected a non-negative number`, [
        { path: `${path}.${key}`, message: 'not a non-negative count' },
      ]);
    }
  }
}

/** Python's string order (by code point), which Evidently's `sorted` uses. */
function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}
