import { cellValue, type Table } from '../data/table';
import { FlywheelError } from '../errors';
import { datetimePart } from './datetime-parts';
import { parseDatetime } from './infer-schema';
import { fitQuantiles, SKEW_THRESHOLD, skewness } from './quantile-map';
import { quantileSorted } from './reservoir';
import type { FeatureSchema } from './schema';
import {
  outputNames,
  type FittedFeature,
  type FittedTransform,
  type Scaling,
  type TransformOptions,
} from './transform-spec';
import { toNumber } from '../data/column-builder';

/** One-hot slots per feature; rarer categories share the unknown bucket, so a high-cardinality column cannot blow up the input layer. */
const MAX_ONEHOT_CATEGORIES = 100;

export interface DroppedFeature {
  name: string;
  reason: string;
}

export interface FitResult {
  transform: FittedTransform;
  dropped: DroppedFeature[];
}

/**
 * Fits the feature transforms on the training rows only (no leakage into validation or test):
 * imputation values, scaling, one-hot categories, datetime parts. Free-text and all-missing
 * features are dropped, each with its reason.
 */
export function fitTransform(train: Table, features: readonly FeatureSchema[], options: TransformOptions): FitResult {
  const fitted: FittedFeature[] = [];
  const dropped: DroppedFeature[] = [];
  for (const f of features) {
    const col = train.columns.find((c) => c.name === f.name);
    if (!col)
      throw new FlywheelError('bad_data', `the training data has no column "${f.name}"`, [
        { path: f.name, message: 'missing column' },
      ]);
    const values: (number | string)[] = [];
    for (let r = 0; r < train.rowCount; r++) {
      const v = cellValue(col, r);
      if (v !== null) values.push(v);
    }
    if (f.type === 'text') {
      dropped.push({ name: f.name, reason: 'free text is not encoded (too many distinct values to one-hot)' });
      continue;
    }
    if (values.length === 0) {
      dropped.push({ name: f.name, reason: 'every training value is missing' });
      continue;
    }
    fitted.push(fitFeature(f, values, options));
  }
  if (fitted.length === 0)
    throw new FlywheelError(
      'bad_data',
      'no usable features are left to train on',
      dropped.map((d) => ({ path: d.name, message: d.reason })),
    );
  const outputs = fitted.flatMap(outputNames);
  return { transform: { features: fitted, width: outputs.length, outputs }, dropped };
}

function fitFeature(f: FeatureSchema, values: (number | string)[], options: TransformOptions): FittedFeature {
  switch (f.type) {
    case 'numeric':
    case 'integer': {
      const nums = values.map((v) => (typeof v === 'number' ? v : toNumber(v))).filter((v): v is number => v !== null);
      if (nums.length === 0)
        throw new FlywheelError('bad_data', `"${f.name}" is declared ${f.type} but holds no numbers`, [
          { path: f.name, message: 'no numbers' },
        ]);
      const fill = imputeValue(nums, options);
      if (options.numeric === 'quantile' || (options.numeric === 'auto' && Math.abs(skewness(nums)) > SKEW_THRESHOLD))
        return { name: f.name, kind: 'numeric', fill, scaling: { center: 0, scale: 1 }, quantiles: fitQuantiles(nums) };
      return { name: f.name, kind: 'numeric', fill, scaling: scalingOf(nums, options.numeric) };
    }
    case 'boolean': {
      const ones = values.filter((v) => ['true', 't', 'yes', 'y', '1'].includes(String(v).toLowerCase())).length;
      return { name: f.name, kind: 'boolean', fill: ones * 2 >= values.length ? 1 : 0 };
    }
    case 'categorical': {
      const counts = new Map<string, number>();
      for (const v of values) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
      const kept = [...counts]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, MAX_ONEHOT_CATEGORIES)
        .map(([c]) => c)
        .sort();
      return { name: f.name, kind: 'onehot', categories: kept };
    }
    case 'datetime': {
      const ms = values.map((v) => (typeof v === 'number' ? v : parseDatetime(v))).filter(Number.isFinite);
      const hasTime = ms.some((t) => t % 86_400_000 !== 0);
      const parts = options.datetime.filter((p) => p !== 'hour' || hasTime);
      const columns = parts.map((p) => ms.map((t) => datetimePart(t, p)));
      return {
        name: f.name,
        kind: 'datetime',
        parts,
        fill: columns.map((c) => imputeValue(c, options)),
        scaling: columns.map((c) => scalingOf(c, options.numeric === 'none' ? 'none' : 'standardize')),
      };
    }
    case 'text':
      throw new Error('unreachable: text features are dropped before fitting');
  }
}

function imputeValue(nums: number[], options: TransformOptions): number {
  switch (options.impute) {
    case 'mean':
      return nums.reduce((a, b) => a + b, 0) / nums.length;
    case 'median':
      return quantileSorted(Float64Array.from(nums).sort(), 0.5);
    case 'mode': {
      const counts = new Map<number, number>();
      for (const n of nums) counts.set(n, (counts.get(n) ?? 0) + 1);
      return [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
    }
    case 'constant':
      return options.imputeValue;
  }
}

/** StandardScaler (population std, as scikit-learn) or MinMaxScaler (`auto` and `quantile` standardise what they scale); a constant column keeps scale 1. */
function scalingOf(nums: number[], kind: TransformOptions['numeric']): Scaling {
  if (kind === 'none') return { center: 0, scale: 1 };
  if (kind === 'minmax') {
    let min = Infinity;
    let max = -Infinity;
    for (const n of nums) {
      if (n < min) min = n;
      if (n > max) max = n;
    }
    return { center: min, scale: max - min || 1 };
  }
  const mean = nums.reduce((a, b) => a + b, 0) / nums.length;
  // A constant column keeps scale 1: its variance around the rounded mean is rounding noise (0.1
  // a thousand times gives a scale of 1e-17), which would blow any other value up to 1e16.
  if (nums.every((v) => v === nums[0])) return { center: mean, scale: 1 };
  const variance = nums.reduce((a, b) => a + (b - mean) ** 2, 0) / nums.length;
  return { center: mean, scale: Math.sqrt(variance) || 1 };
}
