/**
 * The aggregate of one (model, version, minute) of traffic: requests, rows, errors by class, the
 * latency histogram, the distribution of predictions, and a sketch per input feature. It is plain
 * JSON (stored as a JSON column) and mergeable, because a minute is flushed in parts (every second)
 * and a window is the merge of its minutes.
 */
import { FlywheelError } from '../errors';
import { hashString } from '../hash';
import { emptyCategoricalSketch, mergeCategoricalSketches, type CategoricalSketch } from './category-sketch';
import { emptyLabelSketch, mergeLabelSketches, type LabelSketch } from './label-sketch';
import { emptyLatencyHistogram, mergeLatencyHistograms, type LatencyHistogram } from './latency-histogram';
import { copyNumericSketch, mergeNumericSketches, type NumericSketch } from './numeric-sketch';

/** A rollup's time slot. */
export const MINUTE_MS = 60_000;
/** Seed of reservoir draws when the caller gives none: any fixed value keeps runs reproducible. */
export const DEFAULT_TELEMETRY_SEED = 42;

export type FeatureSketch = NumericSketch | CategoricalSketch;
/** Classification: counts per label; regression: a numeric sketch of the predicted values. */
export type PredictionSketch = LabelSketch | NumericSketch;

export interface ErrorCounts {
  '4xx': number;
  '5xx': number;
}

export interface Rollup {
  requests: number;
  /** Prediction rows (instances) over all requests. */
  rows: number;
  errors: ErrorCounts;
  latency: LatencyHistogram;
  /** Null until a request reported predictions. */
  predictions: PredictionSketch | null;
  /** One sketch per baseline feature. */
  features: Record<string, FeatureSketch>;
}

/** A rollup with its key: what the recorder drains and the sink writes. */
export interface RollupRecord {
  model: string;
  version: string;
  /** Start of the minute, epoch ms. */
  minute: number;
  rollup: Rollup;
}

/** The start (epoch ms) of the minute that holds `at`. */
export function minuteStart(at: number): number {
  return Math.floor(at / MINUTE_MS) * MINUTE_MS;
}

export function emptyRollup(): Rollup {
  return {
    requests: 0,
    rows: 0,
    errors: { '4xx': 0, '5xx': 0 },
    latency: emptyLatencyHistogram(),
    predictions: null,
    features: Object.create(null) as Record<string, FeatureSketch>,
  };
}

/**
 * The rollup of both rollups' traffic. Every count adds, so counts are associative and commutative;
 * reservoir samples merge weighted by the values they stand for, with draws seeded by `seed` and the
 * feature's name. The result shares nothing with its inputs. Sketches of one feature with different
 * types or bins cannot merge and throw `bad_data`.
 */
export function mergeRollups(a: Rollup, b: Rollup, seed = DEFAULT_TELEMETRY_SEED): Rollup {
  const features = Object.create(null) as Record<string, FeatureSketch>;
  for (const name of Object.keys(a.features)) {
    const other = b.features[name];
    features[name] =
      other === undefined ? copyFeature(a.features[name]) : mergeFeature(a.features[name], other, seed, name);
  }
  for (const name of Object.keys(b.features)) if (!(name in features)) features[name] = copyFeature(b.features[name]);
  return {
    requests: a.requests + b.requests,
    rows: a.rows + b.rows,
    errors: { '4xx': a.errors['4xx'] + b.errors['4xx'], '5xx': a.errors['5xx'] + b.errors['5xx'] },
    latency: mergeLatencyHistograms(a.latency, b.latency),
    predictions: mergePredictions(a.predictions, b.predictions, seed),
    features,
  };
}

function mergeFeature(a: FeatureSketch, b: FeatureSketch, seed: number, name: string): FeatureSketch {
  const path = `features.${name}`;
  if (a.type === 'numeric' && b.type === 'numeric') return mergeNumericSketches(a, b, seed ^ hashString(name), path);
  if (a.type === 'categorical' && b.type === 'categorical') return mergeCategoricalSketches(a, b);
  throw new FlywheelError('bad_data', `${path}: cannot merge a ${a.type} sketch with a ${b.type} one`, [
    { path, message: 'types differ' },
  ]);
}

/** A fresh copy, so a merged rollup never shares state with its inputs (the recorder mutates its own). */
function copyFeature(s: FeatureSketch): FeatureSketch {
  return s.type === 'numeric' ? copyNumericSketch(s) : mergeCategoricalSketches(s, emptyCategoricalSketch());
}

function copyPrediction(s: PredictionSketch | null): PredictionSketch | null {
  if (s === null) return null;
  return s.type === 'numeric' ? copyNumericSketch(s) : mergeLabelSketches(s, emptyLabelSketch());
}

function mergePredictions(
  a: PredictionSketch | null,
  b: PredictionSketch | null,
  seed: number,
): PredictionSketch | null {
  if (a === null) return copyPrediction(b);
  if (b === null) return copyPrediction(a);
  if (a.type === 'labels' && b.type === 'labels') return mergeLabelSketches(a, b);
  if (a.type === 'numeric' && b.type === 'numeric') return mergeNumericSketches(a, b, seed, 'predictions');
  throw new FlywheelError('bad_data', `predictions: cannot merge ${a.type} with ${b.type}`, [
    { path: 'predictions', message: 'types differ' },
  ]);
}
