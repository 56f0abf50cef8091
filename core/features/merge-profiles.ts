import { FlywheelError } from '../errors';
import { hashString } from '../hash';
import { estimateDistinct, mergeRegisters, registersFromBase64, registersToBase64 } from './hyperloglog';
import { mergeProfileHistograms } from './histogram';
import { KllSketch } from './kll';
import {
  PROFILE_QUANTILES,
  quantilesOf,
  trackCategories,
  type ColumnProfile,
  type NumericProfile,
  type StringProfile,
  type TableProfile,
} from './profile';
import { mergeSamples } from './reservoir';

/**
 * The profile of two tables' concatenation from their profiles: exact for counts, missing, min/max,
 * mean, std, histograms and tracked category counts; quantiles within the KLL sketch's 0.5% of rank
 * (exact while both sides' values fit the sample), distinct counts within HyperLogLog's error. `b` must have been
 * built with `a`'s bins (`profileTable(t, { binsFrom: a })`).
 */
export function mergeProfiles(a: TableProfile, b: TableProfile, seed = 42): TableProfile {
  return {
    rowCount: a.rowCount + b.rowCount,
    columns: a.columns.map((ca) => {
      const cb = b.columns.find((c) => c.name === ca.name);
      if (!cb)
        throw new FlywheelError('bad_data', `cannot merge profiles: the second has no column "${ca.name}"`, [
          { path: ca.name, message: 'missing column' },
        ]);
      if (ca.type !== cb.type)
        throw new FlywheelError(
          'bad_data',
          `cannot merge profiles: "${ca.name}" is ${ca.type} in one and ${cb.type} in the other`,
          [{ path: ca.name, message: 'type differs' }],
        );
      return mergeColumn(ca, cb, seed);
    }),
  };
}

function mergeColumn(a: ColumnProfile, b: ColumnProfile, seed: number): ColumnProfile {
  const hll = mergeRegisters(registersFromBase64(a.hll), registersFromBase64(b.hll));
  if (a.type === 'number' && b.type === 'number') return mergeNumbers(a, b, hll, seed);
  return mergeStrings(a as StringProfile, b as StringProfile, hll);
}

function mergeNumbers(a: NumericProfile, b: NumericProfile, hll: Uint8Array, seed: number): NumericProfile {
  const count = a.count + b.count;
  const delta = (b.mean || 0) - (a.mean || 0);
  const mean = count ? ((a.mean || 0) * a.count + (b.mean || 0) * b.count) / count : NaN;
  const m2 = a.m2 + b.m2 + (count ? (delta * delta * a.count * b.count) / count : 0);
  const columnSeed = seed ^ hashString(a.name);
  const sample = mergeSamples(a.sample, a.count, b.sample, b.count, columnSeed);
  const exact = sample.length === count;
  // Without both sketches (a profile made to show, not to merge) the merged sample is all there is.
  let sketch: KllSketch | null = null;
  if (a.sketch && b.sketch) {
    sketch = KllSketch.fromJSON(a.sketch, columnSeed);
    sketch.merge(KllSketch.fromJSON(b.sketch));
  }
  const estimated = sketch ? sketch.quantiles(PROFILE_QUANTILES) : null;
  return {
    name: a.name,
    type: 'number',
    count,
    missing: a.missing + b.missing,
    min: Math.min(a.count ? a.min : Infinity, b.count ? b.min : Infinity),
    max: Math.max(a.count ? a.max : -Infinity, b.count ? b.max : -Infinity),
    mean,
    std: count > 1 ? Math.sqrt(m2 / (count - 1)) : count === 1 ? 0 : NaN,
    m2,
    integer: a.integer && b.integer,
    quantiles:
      exact || !estimated
        ? quantilesOf(sample)
        : Object.fromEntries(PROFILE_QUANTILES.map((q, i) => [String(q), estimated[i]])),
    quantilesExact: exact,
    ...(sketch ? { sketch: sketch.toJSON() } : {}),
    histogram: mergeProfileHistograms(a.histogram, b.histogram, a.name),
    sample,
    distinct: estimateDistinct(hll),
    hll: registersToBase64(hll),
  };
}

function mergeStrings(a: StringProfile, b: StringProfile, hll: Uint8Array): StringProfile {
  const counts = new Map(Object.entries(a.counts));
  for (const [value, n] of Object.entries(b.counts)) counts.set(value, (counts.get(value) ?? 0) + n);
  const tracked = trackCategories([...counts].map(([value, count]) => ({ value, count })));
  const exact = a.other === 0 && b.other === 0 && tracked.other === 0;
  return {
    name: a.name,
    type: 'string',
    count: a.count + b.count,
    missing: a.missing + b.missing,
    ...tracked,
    other: tracked.other + a.other + b.other,
    distinct: exact ? counts.size : estimateDistinct(hll),
    hll: registersToBase64(hll),
  };
}
