/**
 * The part of a training profile the recorder needs per feature — its kind, its histogram bins, its
 * known categories — compiled once per model version into what the hot path reads (typed-array
 * edges, a set of categories), so recording never looks anything up by string beyond the column.
 */
import { FlywheelError } from '../errors';
import type { ProfileHistogram } from '../features/histogram';
import type { NumericProfile, StringProfile } from '../features/profile';
import { emptyCategoricalSketch } from './category-sketch';
import { emptyNumericSketch } from './numeric-sketch';
import type { FeatureSketch } from './rollup';

/** A profile column as far as telemetry reads it; a `TableProfile`'s columns fit. */
export type BaselineColumn =
  | (Pick<NumericProfile, 'name' | 'type'> & { histogram: Pick<ProfileHistogram, 'edges'> })
  | (Pick<StringProfile, 'name' | 'type'> & Partial<Pick<StringProfile, 'counts'>>);

/** The training profile of a model's inputs (the bundle manifest's `baseline`), or the part of it telemetry reads. */
export interface TelemetryBaseline {
  columns: readonly BaselineColumn[];
}

export interface CompiledFeature {
  name: string;
  /** Bin edges of a numeric feature; null for a categorical one. */
  edges: Float64Array | null;
  /** Categories of a categorical feature the baseline counted; others are "unseen". */
  known: ReadonlySet<string>;
  /**
   * Whether a plain object inherits a property of this name ("constructor", "toString", ...): only
   * then must a lookup in a request's columns check the column is the object's own, which costs more.
   */
  inherited: boolean;
}

const NO_CATEGORIES: ReadonlySet<string> = new Set();

export function compileBaseline(baseline: TelemetryBaseline): CompiledFeature[] {
  return baseline.columns.map((column, i) =>
    column.type === 'number'
      ? {
          name: column.name,
          edges: compileEdges(column.histogram.edges, `baseline.columns[${i}].histogram.edges`),
          known: NO_CATEGORIES,
          inherited: column.name in Object.prototype,
        }
      : {
          name: column.name,
          edges: null,
          known: new Set(Object.keys(column.counts ?? {})),
          inherited: column.name in Object.prototype,
        },
  );
}

/** Checks bin edges (at least two, finite, strictly ascending) and copies them into a typed array. */
export function compileEdges(edges: readonly number[], path: string): Float64Array {
  const ok = edges.length >= 2 && edges.every((e, i) => Number.isFinite(e) && (i === 0 || e > edges[i - 1]));
  if (!ok) {
    throw new FlywheelError('bad_input', `${path}: bin edges must be at least two finite numbers in ascending order`, [
      { path, message: 'not ascending finite edges' },
    ]);
  }
  return Float64Array.from(edges);
}

export function emptySketchFor(feature: CompiledFeature): FeatureSketch {
  return feature.edges === null ? emptyCategoricalSketch() : emptyNumericSketch(feature.edges.length - 1);
}

/** Whether a sketch can take the feature's values: the same kind and, for numbers, the same bins. */
export function sketchFits(sketch: FeatureSketch, feature: CompiledFeature): boolean {
  if (feature.edges === null) return sketch.type === 'categorical';
  return sketch.type === 'numeric' && sketch.counts.length === feature.edges.length - 1;
}
