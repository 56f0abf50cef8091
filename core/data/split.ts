import { FlywheelError } from '../errors';
import { seededRandom, shuffleInPlace } from '../random';

export interface SplitOptions {
  /** Share of rows held out for the test split (0 for none). */
  test: number;
  /** Share of rows held out for validation (early stopping), taken from what remains after test. */
  validation: number;
  seed: number;
  /** Class index per row (−1 for missing): split each class in the same proportions. */
  strata?: Int32Array;
}

export interface SplitIndices {
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
}

/**
 * Deterministic train/validation/test row indices from a seed; stratified when `strata` is given
 * (each class keeps its share in every split, as scikit-learn's StratifiedShuffleSplit).
 */
export function splitRows(rows: number, options: SplitOptions): SplitIndices {
  const { test, validation, seed } = options;
  if (!(test >= 0 && validation >= 0 && test + validation < 1)) {
    throw new FlywheelError(
      'bad_spec',
      `split shares must be ≥ 0 and leave rows to train on (test ${test} + validation ${validation} < 1)`,
      [{ path: 'split', message: 'bad shares' }],
    );
  }
  const nTest = Math.round(rows * test);
  const nVal = Math.round(rows * validation);
  const needed = (test > 0 ? 1 : 0) + (validation > 0 ? 1 : 0) + 2;
  if (rows < needed || rows - nTest - nVal < 2 || (test > 0 && nTest === 0) || (validation > 0 && nVal === 0)) {
    throw new FlywheelError(
      'bad_data',
      `${rows} row(s) are too few for this split (test ${test}, validation ${validation}): need at least 2 to train and 1 in each held-out split`,
      [{ path: 'split', message: 'too few rows' }],
    );
  }
  const random = seededRandom(seed);
  const groups = options.strata ? groupRows(options.strata) : [Int32Array.from({ length: rows }, (_, i) => i)];
  const train: number[] = [];
  const val: number[] = [];
  const tst: number[] = [];
  // Largest-remainder allocation so the totals match nTest and nVal exactly across classes.
  const testCounts = allocate(
    groups.map((g) => g.length),
    nTest,
  );
  const valCounts = allocate(
    groups.map((g, i) => g.length - testCounts[i]),
    nVal,
  );
  groups.forEach((group, i) => {
    shuffleInPlace(group, random);
    tst.push(...group.subarray(0, testCounts[i]));
    val.push(...group.subarray(testCounts[i], testCounts[i] + valCounts[i]));
    train.push(...group.subarray(testCounts[i] + valCounts[i]));
  });
  return { train: sorted(train), validation: sorted(val), test: sorted(tst) };
}

function groupRows(strata: Int32Array): Int32Array[] {
  const byClass = new Map<number, number[]>();
  strata.forEach((c, i) => {
    const list = byClass.get(c);
    if (list) list.push(i);
    else byClass.set(c, [i]);
  });
  return [...byClass.keys()].sort((a, b) => a - b).map((k) => Int32Array.from(byClass.get(k)!));
}

function allocate(sizes: number[], total: number): number[] {
  const all = sizes.reduce((a, b) => a + b, 0);
  if (all === 0) return sizes.map(() => 0);
  const exact = sizes.map((s) => (s * total) / all);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left === 0) break;
    if (counts[i] < sizes[i]) {
      counts[i]++;
      left--;
    }
  }
  return counts;
}

function sorted(list: number[]): Int32Array {
  return Int32Array.from(list).sort();
}
