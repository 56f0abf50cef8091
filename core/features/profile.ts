import type { Column, NumberColumn, StringColumn, Table } from '../data/table';
import { hashString } from '../hash';
import { addHash, estimateDistinct, hashNumberHalves, newRegisters, registersToBase64 } from './hyperloglog';
import { binEdges, histogram, type ProfileHistogram } from './histogram';
import { KllSketch, type QuantileSketch } from './kll';
import { quantileSorted, reservoirSample, SAMPLE_SIZE } from './reservoir';
import { presentCopy, selectQuantiles } from './select-quantiles';

/** Quantiles every numeric profile reports. */
export const PROFILE_QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99] as const;
/** Categories tracked by name per column; the rest are counted together as `other`. */
export const MAX_TRACKED_CATEGORIES = 1000;
/** Categories listed in `top`. */
export const TOP_K = 10;

export interface NumericProfile {
  name: string;
  type: 'number';
  count: number;
  missing: number;
  min: number;
  max: number;
  mean: number;
  /** Sample standard deviation (ddof = 1, as pandas' `describe`). */
  std: number;
  /** Sum of squared deviations from the mean: what makes mean and std merge exactly (Chan et al.). */
  m2: number;
  /** True when every value is a whole number. */
  integer: boolean;
  /** numpy's (and pandas') linear-interpolation quantiles; exact unless `quantilesExact` is false. */
  quantiles: Record<string, number>;
  /** False when the quantiles come from the sketch (a merge of profiles too large to hold every value). */
  quantilesExact: boolean;
  /**
   * KLL sketch of the values: what keeps quantiles within 0.5% of rank when profiles merge. Absent
   * from a profile made with `sketch: false` (to show, not to merge: building it costs a sort).
   */
  sketch?: QuantileSketch;
  histogram: ProfileHistogram;
  /** Uniform sample of the values (all of them when there are at most SAMPLE_SIZE). */
  sample: number[];
  distinct: number;
  /** HyperLogLog registers, base64: what makes `distinct` merge. */
  hll: string;
}

export interface CategoryCount {
  value: string;
  count: number;
}

export interface StringProfile {
  name: string;
  type: 'string';
  count: number;
  missing: number;
  /** Counts per category (the MAX_TRACKED_CATEGORIES most frequent). */
  counts: Record<string, number>;
  /** Values not tracked by name. */
  other: number;
  top: CategoryCount[];
  distinct: number;
  hll: string;
}

export type ColumnProfile = NumericProfile | StringProfile;

export interface TableProfile {
  rowCount: number;
  columns: ColumnProfile[];
}

export interface ProfileOptions {
  /** Reuse this profile's histogram bins, so the new profile can merge with it (serving windows, splits). */
  binsFrom?: TableProfile;
  seed?: number;
  /** Whether numeric profiles carry the quantile sketch that merging needs (default true). */
  sketch?: boolean;
}

/**
 * Profiles a table (TFDV-style statistics): counts, missing, moments, quantiles, a fixed-bin
 * histogram, top categories and a distinct estimate per column. Profiles merge (`mergeProfiles`).
 */
export function profileTable(table: Table, options: ProfileOptions = {}): TableProfile {
  const seed = options.seed ?? 42;
  // One buffer for every column's present values where they are copied (to sort them for the sketch, or
  // for a quickselect): fresh memory costs page faults (~20 ms per million rows here), and pages never
  // written cost nothing.
  const longest = Math.max(0, ...table.columns.map((c) => (c.kind === 'number' ? c.values.length : 0)));
  const scratch = new Float64Array(longest);
  return {
    rowCount: table.rowCount,
    columns: table.columns.map((col) =>
      profileColumn(
        col,
        seed,
        options.binsFrom?.columns.find((c) => c.name === col.name),
        options.sketch ?? true,
        scratch,
      ),
    ),
  };
}

/** One column's profile; `scratch` (at least as long as the column) is working memory reused across calls. */
export function profileColumn(
  col: Column,
  seed: number,
  binsFrom?: ColumnProfile,
  sketch = true,
  scratch?: Float64Array,
): ColumnProfile {
  return col.kind === 'number' ? profileNumbers(col, seed, binsFrom, sketch, scratch) : profileStrings(col);
}

function profileNumbers(
  col: NumberColumn,
  seed: number,
  binsFrom: ColumnProfile | undefined,
  withSketch: boolean,
  scratch: Float64Array | undefined,
): NumericProfile {
  const values = col.values;
  const halves = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
  const registers = newRegisters();
  let count = 0;
  let mean = 0;
  let m2 = 0;
  let min = Infinity;
  let max = -Infinity;
  let integer = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) continue;
    count++;
    const delta = v - mean;
    mean += delta / count;
    m2 += delta * (v - mean);
    if (v < min) min = v;
    if (v > max) max = v;
    if (integer && Math.floor(v) !== v) integer = false;
    addHash(registers, hashNumberHalves(halves[2 * i], halves[2 * i + 1]));
  }
  const columnSeed = seed ^ hashString(col.name);
  // The same sample as of the present values alone; skipping ahead is only safe when there are no gaps.
  const sample = reservoirSample(values, columnSeed, SAMPLE_SIZE, count === values.length);
  let quantiles: Record<string, number>;
  let sketch: QuantileSketch | undefined;
  if (withSketch) {
    const sorted = presentCopy(values, count, scratch).sort();
    quantiles = quantilesOfSorted(sorted);
    sketch = KllSketch.fromSorted(sorted, undefined, columnSeed).toJSON();
  } else {
    const selected = selectQuantiles(values, PROFILE_QUANTILES, { count, min, max, integer }, scratch);
    quantiles = Object.fromEntries(PROFILE_QUANTILES.map((q, i) => [String(q), selected[i]]));
  }
  const edges = binsFrom?.type === 'number' ? binsFrom.histogram.edges : binEdges(min, max, integer);
  return {
    name: col.name,
    type: 'number',
    count,
    missing: values.length - count,
    min: count ? min : NaN,
    max: count ? max : NaN,
    mean: count ? mean : NaN,
    std: count > 1 ? Math.sqrt(m2 / (count - 1)) : count === 1 ? 0 : NaN,
    m2,
    integer,
    quantiles,
    quantilesExact: true,
    ...(sketch ? { sketch } : {}),
    histogram: histogram(values, edges),
    sample,
    distinct: estimateDistinct(registers),
    hll: registersToBase64(registers),
  };
}

/** The profile's quantiles of sorted values. */
export function quantilesOfSorted(sorted: ArrayLike<number>): Record<string, number> {
  return Object.fromEntries(PROFILE_QUANTILES.map((q) => [String(q), quantileSorted(sorted, q)]));
}

/** The profile's quantiles of unsorted values. */
export function quantilesOf(values: ArrayLike<number>): Record<string, number> {
  return quantilesOfSorted(Float64Array.from(values).sort());
}

function profileStrings(col: StringColumn): StringProfile {
  const tally = new Float64Array(col.dictionary.length);
  let missing = 0;
  for (let i = 0; i < col.codes.length; i++) {
    const c = col.codes[i];
    if (c < 0) missing++;
    else tally[c]++;
  }
  const registers = newRegisters();
  const all: CategoryCount[] = [];
  for (let c = 0; c < tally.length; c++) {
    if (tally[c] === 0) continue;
    all.push({ value: col.dictionary[c], count: tally[c] });
    addHash(registers, hashString(col.dictionary[c]));
  }
  return {
    name: col.name,
    type: 'string',
    count: col.codes.length - missing,
    missing,
    ...trackCategories(all),
    distinct: all.length,
    hll: registersToBase64(registers),
  };
}

/** Keeps the most frequent categories by name (ties by value, for determinism). */
export function trackCategories(all: CategoryCount[]): {
  counts: Record<string, number>;
  other: number;
  top: CategoryCount[];
} {
  all.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  const kept = all.slice(0, MAX_TRACKED_CATEGORIES);
  const other = all.slice(MAX_TRACKED_CATEGORIES).reduce((s, c) => s + c.count, 0);
  return { counts: Object.fromEntries(kept.map((c) => [c.value, c.count])), other, top: kept.slice(0, TOP_K) };
}
