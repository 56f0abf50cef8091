/**
 * The edge's in-memory telemetry: every prediction is folded into the rollup of its (model, version,
 * minute) and into lifetime totals for /metrics, and `drain` hands the buffered rollups to whoever
 * writes them, so storage sees a batch per flush, never a write per request. `record` is on the
 * predict hot path: two map lookups, then work proportional to rows × features, no allocation
 * beyond a new minute's rollup.
 */
import { FlywheelError } from '../errors';
import { seededRandom, type Random } from '../random';
import {
  compileBaseline,
  compileEdges,
  emptySketchFor,
  sketchFits,
  type CompiledFeature,
  type TelemetryBaseline,
} from './baseline';
import { addCategory } from './category-sketch';
import { addLabel, emptyLabelSketch } from './label-sketch';
import {
  emptyLatencyHistogram,
  latencyBucket,
  mergeLatencyHistograms,
  observeLatency,
  type LatencyHistogram,
} from './latency-histogram';
import { addNumber, emptyNumericSketch, type NumericSketch } from './numeric-sketch';
import {
  DEFAULT_TELEMETRY_SEED,
  emptyRollup,
  mergeRollups,
  minuteStart,
  type FeatureSketch,
  type Rollup,
  type RollupRecord,
} from './rollup';
import {
  CLIENT_ERROR_CLASS,
  SERVER_ERROR_CLASS,
  STATUS_CLASSES,
  statusClassIndex,
  type StatusClass,
} from './status-class';

/** One request as the edge saw it. */
export interface TelemetryEvent {
  model: string;
  version: string;
  /** When it was served, epoch ms (from the injected clock). */
  at: number;
  latencyMs: number;
  /** Rows (instances) in the request. */
  rows: number;
  /** HTTP status of the response. */
  status: number;
  /** What the model predicted: labels for a classifier, values for a regressor. */
  predictions?: { labels?: readonly string[]; values?: readonly (number | null)[] };
  /** The request's input values column by column (pass only for requests that were scored). */
  features?: Readonly<Record<string, ArrayLike<number | string | null>>>;
  /**
   * The same values row by row, as the request sent them (objects keyed by feature name), instead of
   * `features`: the edge has rows, and turning one row into a column per feature cost more than
   * sketching it. Values that are not numbers count as missing for numeric features; categories are
   * compared as strings.
   */
  records?: readonly Readonly<Record<string, unknown>>[];
}

export interface BaselineOptions {
  /** Bin edges for a regressor's predictions (e.g. over the training target's range). */
  predictionEdges?: readonly number[];
}

export interface RecorderOptions {
  /** Seeds the reservoir samples, so the same requests give the same rollups. */
  seed?: number;
}

/** What one model version has served since the process started: Prometheus' counters. */
export interface VersionTotals {
  model: string;
  version: string;
  requests: Record<StatusClass, number>;
  rows: number;
  latency: LatencyHistogram;
}

interface MinuteSlot {
  rollup: Rollup;
  /** The rollup's feature sketches in the order of the version's compiled features. */
  sketches: FeatureSketch[];
}

interface VersionState {
  model: string;
  version: string;
  features: CompiledFeature[];
  predictionEdges: Float64Array | null;
  slots: Map<number, MinuteSlot>;
  /** The last slot used, which nearly every request reuses. */
  minute: number;
  current: MinuteSlot | null;
  requests: number[];
  rows: number;
  latency: LatencyHistogram;
}

export class TelemetryRecorder {
  private readonly models = new Map<string, Map<string, VersionState>>();
  private readonly random: Random;
  private readonly seed: number;

  constructor(options: RecorderOptions = {}) {
    this.seed = options.seed ?? DEFAULT_TELEMETRY_SEED;
    this.random = seededRandom(this.seed);
  }

  /**
   * Tells the recorder a version's training profile, whose bins and categories its feature sketches
   * use. Features of a version without one are not sketched (requests, latency and predictions are).
   */
  registerBaseline(model: string, version: string, baseline: TelemetryBaseline, options: BaselineOptions = {}): void {
    const features = compileBaseline(baseline);
    const predictionEdges = options.predictionEdges ? compileEdges(options.predictionEdges, 'predictionEdges') : null;
    const state = this.state(model, version);
    const sketches = [...state.slots.values()].map((slot) => attach(slot.rollup, features));
    state.features = features;
    state.predictionEdges = predictionEdges;
    [...state.slots.values()].forEach((slot, i) => (slot.sketches = sketches[i]));
  }

  /** Folds one request into its minute's rollup and the lifetime totals. */
  record(event: TelemetryEvent): void {
    const state = this.state(event.model, event.version);
    const bucket = latencyBucket(event.latencyMs);
    const statusClass = statusClassIndex(event.status);
    state.requests[statusClass]++;
    state.rows += event.rows;
    observeLatency(state.latency, event.latencyMs, bucket);

    const minute = minuteStart(event.at);
    const slot = minute === state.minute && state.current !== null ? state.current : this.slot(state, minute);
    const rollup = slot.rollup;
    rollup.requests++;
    rollup.rows += event.rows;
    if (statusClass === SERVER_ERROR_CLASS) rollup.errors['5xx']++;
    else if (statusClass === CLIENT_ERROR_CLASS) rollup.errors['4xx']++;
    observeLatency(rollup.latency, event.latencyMs, bucket);
    if (event.predictions !== undefined) this.recordPredictions(state, rollup, event.predictions);
    if (event.features !== undefined) this.recordFeatures(state, slot, event.features, event.rows);
    else if (event.records !== undefined) this.recordRecords(state, slot, event.records);
  }

  /**
   * Returns the buffered rollups and forgets them. A minute is drained in parts (each flush takes
   * what came since the last), so whoever stores them merges records of the same key (`mergeRollups`).
   */
  drain(): RollupRecord[] {
    const out: RollupRecord[] = [];
    for (const versions of this.models.values()) {
      for (const state of versions.values()) {
        for (const [minute, slot] of state.slots)
          out.push({ model: state.model, version: state.version, minute, rollup: slot.rollup });
        state.slots.clear();
        state.current = null;
      }
    }
    return out;
  }

  /**
   * Puts back drained records whose write failed, merged with whatever was recorded since, so a
   * failed flush loses nothing. The records are only read.
   */
  restore(records: readonly RollupRecord[]): void {
    for (const record of records) {
      const state = this.state(record.model, record.version);
      const existing = state.slots.get(record.minute);
      const rollup = mergeRollups(record.rollup, existing?.rollup ?? emptyRollup(), this.seed);
      state.slots.set(record.minute, { rollup, sketches: attach(rollup, state.features) });
      state.current = null;
    }
  }

  /** Rollups waiting to be drained. */
  get buffered(): number {
    let n = 0;
    for (const versions of this.models.values()) for (const state of versions.values()) n += state.slots.size;
    return n;
  }

  /** Lifetime counters per version (copies), for the Prometheus endpoint. */
  totals(): VersionTotals[] {
    const out: VersionTotals[] = [];
    for (const versions of this.models.values()) {
      for (const s of versions.values()) {
        const requests = Object.fromEntries(STATUS_CLASSES.map((c, i) => [c, s.requests[i]])) as Record<
          StatusClass,
          number
        >;
        out.push({
          model: s.model,
          version: s.version,
          requests,
          rows: s.rows,
          latency: mergeLatencyHistograms(s.latency, emptyLatencyHistogram()),
        });
      }
    }
    return out;
  }

  private state(model: string, version: string): VersionState {
    let versions = this.models.get(model);
    if (versions === undefined) this.models.set(model, (versions = new Map()));
    let state = versions.get(version);
    if (state === undefined) {
      state = {
        model,
        version,
        features: [],
        predictionEdges: null,
        slots: new Map(),
        minute: NaN,
        current: null,
        requests: new Array<number>(STATUS_CLASSES.length).fill(0),
        rows: 0,
        latency: emptyLatencyHistogram(),
      };
      versions.set(version, state);
    }
    return state;
  }

  private slot(state: VersionState, minute: number): MinuteSlot {
    let slot = state.slots.get(minute);
    if (slot === undefined) {
      const rollup = emptyRollup();
      slot = { rollup, sketches: attach(rollup, state.features) };
      state.slots.set(minute, slot);
    }
    state.minute = minute;
    state.current = slot;
    return slot;
  }

  private recordPredictions(
    state: VersionState,
    rollup: Rollup,
    predictions: NonNullable<TelemetryEvent['predictions']>,
  ): void {
    const { labels, values } = predictions;
    if (labels !== undefined) {
      const sketch = rollup.predictions ?? (rollup.predictions = emptyLabelSketch());
      if (sketch.type !== 'labels') throw mixedPredictions(state);
      for (let i = 0; i < labels.length; i++) addLabel(sketch, labels[i]);
    }
    if (values !== undefined) {
      const edges = state.predictionEdges;
      const sketch =
        rollup.predictions ?? (rollup.predictions = emptyNumericSketch(edges === null ? 0 : edges.length - 1));
      if (sketch.type !== 'numeric') throw mixedPredictions(state);
      // A sketch begun before the edges were registered has no bins to count into.
      const bins = edges !== null && sketch.counts.length === edges.length - 1 ? edges : null;
      recordNumbers(sketch, values, bins, this.random);
    }
  }

  private recordFeatures(
    state: VersionState,
    slot: MinuteSlot,
    features: NonNullable<TelemetryEvent['features']>,
    rows: number,
  ): void {
    const specs = state.features;
    for (let i = 0; i < specs.length; i++) {
      const spec = specs[i];
      const sketch = slot.sketches[i];
      const column = !spec.inherited || Object.hasOwn(features, spec.name) ? features[spec.name] : undefined;
      if (column === undefined) sketch.missing += rows;
      else if (sketch.type === 'numeric') recordNumbers(sketch, column, spec.edges, this.random);
      else {
        for (let k = 0; k < column.length; k++) {
          const v = column[k];
          if (v === null || v === undefined || v !== v) sketch.missing++;
          else addCategory(sketch, typeof v === 'string' ? v : String(v), spec.known);
        }
      }
    }
  }

  private recordRecords(
    state: VersionState,
    slot: MinuteSlot,
    records: readonly Readonly<Record<string, unknown>>[],
  ): void {
    const specs = state.features;
    for (let i = 0; i < specs.length; i++) {
      const spec = specs[i];
      const sketch = slot.sketches[i];
      for (let k = 0; k < records.length; k++) {
        const record = records[k];
        const v = !spec.inherited || Object.hasOwn(record, spec.name) ? record[spec.name] : undefined;
        if (sketch.type === 'numeric') {
          if (typeof v === 'number' && v - v === 0) addNumber(sketch, v, spec.edges, this.random);
          else sketch.missing++;
        } else if (v === null || v === undefined || v !== v) sketch.missing++;
        else addCategory(sketch, typeof v === 'string' ? v : String(v), spec.known);
      }
    }
  }
}

function recordNumbers(
  sketch: NumericSketch,
  values: ArrayLike<unknown>,
  edges: Float64Array | null,
  random: Random,
): void {
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (typeof v === 'number' && v - v === 0) addNumber(sketch, v, edges, random);
    else sketch.missing++;
  }
}

/** The rollup's sketch of each compiled feature, adding empty ones it lacks. */
function attach(rollup: Rollup, features: readonly CompiledFeature[]): FeatureSketch[] {
  return features.map((feature) => {
    const sketch = rollup.features[feature.name];
    if (sketch === undefined) return (rollup.features[feature.name] = emptySketchFor(feature));
    if (!sketchFits(sketch, feature)) {
      throw new FlywheelError(
        'bad_input',
        `feature "${feature.name}": its baseline changed while data were buffered under another`,
        [{ path: `features.${feature.name}`, message: 'baseline differs from the buffered sketch' }],
      );
    }
    return sketch;
  });
}

function mixedPredictions(state: VersionState): FlywheelError {
  const path = `${state.model}@${state.version}.predictions`;
  return new FlywheelError('bad_input', `${path}: one version reported both labels and values`, [
    { path, message: 'labels and values mixed' },
  ]);
}
