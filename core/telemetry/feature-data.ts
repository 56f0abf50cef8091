/**
 * The inputs of `driftReport` (core/drift) for the drift endpoint: the current side from a window's
 * rollups (feature sketches merged: bin counts add, reservoirs merge weighted by count) and the
 * reference side from the bundle's training profile, both over the same bins.
 */
import type { FeatureData, FeatureDriftInput } from '../drift';
import { FlywheelError } from '../errors';
import { hashString } from '../hash';
import type { TableProfile } from '../features/profile';
import type { BaselineColumn, TelemetryBaseline } from './baseline';
import { categoryTotals, OTHER_CATEGORY } from './category-sketch';
import { addCountsInto, emptyCounts } from './counts';
import { RESERVOIR_SIZE, type NumericSketch } from './numeric-sketch';
import { DEFAULT_TELEMETRY_SEED, type FeatureSketch, type RollupRecord } from './rollup';
import { mergeWeightedSamples } from './sample-merge';

/**
 * Each baseline feature's serving data over `records` (one model version's window, or versions sharing
 * the baseline): numeric — a merged sample, its count and counts over the baseline's bins; categorical
 * — counts per category, unseen ones by name and the capped rest under OTHER_CATEGORY.
 */
export function windowFeatureData(
  records: readonly RollupRecord[],
  baseline: TelemetryBaseline,
  seed = DEFAULT_TELEMETRY_SEED,
): Record<string, FeatureData> {
  return Object.fromEntries(
    baseline.columns.map((column): [string, FeatureData] => {
      const sketches: FeatureSketch[] = [];
      for (const record of records) {
        const sketch = record.rollup.features[column.name];
        if (sketch !== undefined) sketches.push(sketch);
      }
      return [
        column.name,
        column.type === 'number' ? numericWindow(column, sketches, seed) : categoricalWindow(column, sketches),
      ];
    }),
  );
}

function numericWindow(
  column: Extract<BaselineColumn, { type: 'number' }>,
  sketches: FeatureSketch[],
  seed: number,
): FeatureData {
  const numeric = sketches.map((s): NumericSketch => {
    if (s.type !== 'numeric') throw typeMismatch(column.name, 'numeric', s.type);
    return s;
  });
  const edges = column.histogram.edges;
  const counts = new Array<number>(edges.length - 1).fill(0);
  let count = 0;
  let underflow = 0;
  let overflow = 0;
  // A sketch recorded before its baseline was known has no bins: then the window has no histogram.
  let binned = true;
  for (const s of numeric) {
    count += s.count;
    underflow += s.underflow;
    overflow += s.overflow;
    if (s.counts.length !== counts.length) binned = false;
    else for (let i = 0; i < counts.length; i++) counts[i] += s.counts[i];
  }
  const sample = mergeWeightedSamples(numeric, seed ^ hashString(column.name), RESERVOIR_SIZE);
  return { type: 'numeric', sample, count, ...(binned ? { histogram: { edges, counts, underflow, overflow } } : {}) };
}

function categoricalWindow(column: BaselineColumn, sketches: FeatureSketch[]): FeatureData {
  const counts = emptyCounts();
  for (const s of sketches) {
    if (s.type !== 'categorical') throw typeMismatch(column.name, 'categorical', s.type);
    addCountsInto(counts, categoryTotals(s));
  }
  return { type: 'categorical', counts };
}

function typeMismatch(name: string, expected: string, found: string): FlywheelError {
  const path = `features.${name}`;
  return new FlywheelError('bad_data', `${path}: the baseline says ${expected} but a rollup holds a ${found} sketch`, [
    { path, message: 'type differs' },
  ]);
}

/**
 * Each feature's reference data from the training profile: numeric — the profile's sample, histogram
 * and row count (which picks Evidently's method); categorical — its counts, with the categories it did
 * not track by name under OTHER_CATEGORY.
 */
export function baselineFeatureData(baseline: TableProfile): Record<string, FeatureData> {
  return Object.fromEntries(
    baseline.columns.map((column): [string, FeatureData] => {
      if (column.type === 'number')
        return [
          column.name,
          { type: 'numeric', sample: column.sample, histogram: column.histogram, count: column.count },
        ];
      const counts = emptyCounts();
      addCountsInto(counts, column.counts);
      if (column.other > 0) counts[OTHER_CATEGORY] = (counts[OTHER_CATEGORY] ?? 0) + column.other;
      return [column.name, { type: 'categorical', counts }];
    }),
  );
}

/** Reference and current data of every baseline feature, in the profile's order: `driftReport`'s argument. */
export function driftInputs(
  records: readonly RollupRecord[],
  baseline: TableProfile,
  seed = DEFAULT_TELEMETRY_SEED,
): FeatureDriftInput[] {
  const reference = baselineFeatureData(baseline);
  const current = windowFeatureData(records, baseline, seed);
  return baseline.columns.map((c) => ({ feature: c.name, reference: reference[c.name], current: current[c.name] }));
}
