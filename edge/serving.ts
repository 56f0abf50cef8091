/**
 * Serving: verified bundles loaded once into the lean runtime, kept warm, and routed to by alias and
 * canary weight. A publish or promote changes routing for the next request; requests in flight keep
 * the model object they started with, so nothing fails during a swap.
 */
import { LRUCache } from 'lru-cache';
import { readBundle, type Manifest } from '../core/bundle';
import { encodeRows } from '../core/features';
import { FlywheelError } from '../core/errors';
import { hashString } from '../core/hash';
import { createPredictor, type Predictor } from '../core/infer';
import { decodeOutputs } from '../core/model/head';
import type { Prediction } from '../core/api/contract';
import { decideBatching, type BatchCost, type BatchMode } from './batching';
import { inputWarnings } from './input-warnings';
import { notFound, type Registry, type Routing } from './registry';
import type { BlobStore } from './store/blob';

/** Routing is re-read from storage this often, so another process's (or isolate's) promote is seen quickly without a query per request. */
export const ROUTING_TTL_MS = 1000;
/**
 * Models whose routing is cached; the least recently used beyond this are asked of storage again.
 * Far more models than one edge serves, and a bound so that a client cannot grow it.
 */
export const MAX_CACHED_ROUTES = 4096;
/** Loaded versions kept warm; the least recently used beyond this are dropped. */
export const MAX_LOADED_VERSIONS = 64;

export interface LoadedVersion {
  model: string;
  version: number;
  manifest: Manifest;
  predictor: Predictor;
  featureNames: string[];
  /** One encoded row, reused by every one-row request (a new 20-float array is allocated outside V8's heap). */
  oneRow: Float32Array;
  /** Whether concurrent requests share kernel calls (edge/batching.ts). */
  batched: boolean;
  /** The kernel timed on one row and on a batch when the version loaded (batching `auto`), else null. */
  batchCost: BatchCost | null;
}

export interface ServedRows {
  version: number;
  predictions: Prediction[];
  /** Rows as feature records (arrays mapped to names), for the prediction log and telemetry. */
  records: Record<string, unknown>[];
  loaded: LoadedVersion;
}

export class Serving {
  private readonly loaded = new Map<string, Promise<LoadedVersion>>();
  /** Routing of models that exist: a name that does not is never stored, so unknown names cannot fill memory. */
  private readonly routes = new LRUCache<string, { routing: Routing; until: number }>({ max: MAX_CACHED_ROUTES });
  /** The loaded versions whose promise has resolved, by the same key as `loaded`. */
  private readonly ready = new Map<string, LoadedVersion>();
  /** The last key of `loaded` (the most recently used version), or null when unknown. */
  private newest: string | null = null;
  /** `newest`'s loaded version, once `loadedNow` has found it ready (null otherwise). */
  private newestReady: LoadedVersion | null = null;

  constructor(
    private readonly registry: Registry,
    private readonly blobs: BlobStore,
    private readonly now: () => number,
    private readonly allowFallback: boolean,
    /** Whether loaded versions are batched (edge/batching.ts); off where the runtime does not batch. */
    private readonly batchMode: BatchMode = 'off',
  ) {}

  async routing(model: string): Promise<Routing | null> {
    const hit = this.cachedRouting(model);
    if (hit !== undefined) return hit;
    const routing = await this.registry.routing(model);
    if (routing !== null) this.routes.set(model, { routing, until: this.now() + ROUTING_TTL_MS });
    return routing;
  }

  /** Routing from the cache while it is fresh (undefined when storage must be asked): lets the hot path skip a promise. */
  cachedRouting(model: string): Routing | undefined {
    const hit = this.routes.get(model);
    return hit && hit.until > this.now() ? hit.routing : undefined;
  }

  /** Forgets cached routing (after a local publish, alias move or rollout change). */
  invalidate(model: string): void {
    this.routes.delete(model);
  }

  /** Chooses the version for a request: pinned, else the canary split (sticky per routing key), else the primary. */
  async choose(
    model: string,
    pinned: number | null,
    routingKey: string | null,
  ): Promise<{ version: number; routing: Routing }> {
    const routing = await this.routing(model);
    if (!routing) throw notFound(model);
    return { version: this.chooseFrom(routing, model, pinned, routingKey), routing };
  }

  /** `choose` for routing already in hand. */
  chooseFrom(routing: Routing, model: string, pinned: number | null, routingKey: string | null): number {
    if (pinned !== null) return pinned;
    const r = routing.rollout;
    if (r && r.challenger !== routing.primary) {
      const u = routingKey ? hashString(`${model}\u0000${routingKey}`) / 4294967296 : Math.random();
      if (u < r.weight) return r.challenger;
    }
    return routing.primary;
  }

  /** A version already loaded (undefined while it loads, or if it never was): the hot path's way around a promise. */
  loadedNow(model: string, version: number): LoadedVersion | undefined {
    // The most recently used version again (a busy model usually is): no key to build and hash.
    const last = this.newestReady;
    if (last !== null && last.version === version && last.model === model) return last;
    const key = `${model}@${version}`;
    const ready = this.ready.get(key);
    if (!ready) return undefined;
    // Most recently used again, as `load` does (a busy model usually is already).
    if (key !== this.newest) {
      const p = this.loaded.get(key);
      if (!p) return undefined;
      this.use(key, p);
    }
    this.newestReady = ready;
    return ready;
  }

  /** Puts `key` last in the loaded versions' order (most recently used). */
  private use(key: string, p: Promise<LoadedVersion>): void {
    this.loaded.delete(key);
    this.loaded.set(key, p);
    if (key !== this.newest) this.newestReady = null;
    this.newest = key;
  }

  private forget(key: string): void {
    this.loaded.delete(key);
    this.ready.delete(key);
    if (key === this.newest) {
      this.newest = null;
      this.newestReady = null;
    }
  }

  load(model: string, version: number): Promise<LoadedVersion> {
    const key = `${model}@${version}`;
    let p = this.loaded.get(key);
    if (p) {
      this.use(key, p);
      return p;
    }
    p = this.loadFresh(model, version);
    this.use(key, p);
    p.then(
      (l) => {
        if (this.loaded.get(key) === p) this.ready.set(key, l);
      },
      () => {
        if (this.loaded.get(key) === p) this.forget(key);
      },
    );
    while (this.loaded.size > MAX_LOADED_VERSIONS) {
      const oldest = this.loaded.keys().next().value as string;
      void this.loaded.get(oldest)?.then(
        (l) => l.predictor.dispose(),
        () => {},
      );
      this.forget(oldest);
    }
    return p;
  }

  private async loadFresh(model: string, version: number): Promise<LoadedVersion> {
    const stored = await this.registry.requireVersion(model, version);
    const bytes = await this.blobs.get(stored.blobKey);
    if (!bytes) throw new FlywheelError('internal', `the bundle of ${model} v${version} is missing from storage`);
    const bundle = await readBundle(bytes, `${model} v${version}`);
    const predictor = await createPredictor(
      { modelJson: bundle.modelJson, weights: bundle.weights },
      { allowFallback: this.allowFallback },
    );
    const batching = decideBatching(this.batchMode, predictor);
    return {
      model,
      version,
      manifest: bundle.manifest,
      predictor,
      featureNames: bundle.manifest.transform.features.map((f) => f.name),
      oneRow: new Float32Array(bundle.manifest.transform.width),
      batched: batching.batched,
      batchCost: batching.cost,
    };
  }

  /** Predicts rows with a loaded version; errors name `instances[i].feature`. */
  predict(loaded: LoadedVersion, rows: readonly unknown[], path: string): ServedRows {
    const { manifest, predictor } = loaded;
    // A one-row request encodes into the version's own buffer: the model reads it before this returns.
    const x = encodeRows(manifest.transform, rows, path, rows.length === 1 ? loaded.oneRow : undefined);
    const raw = predictor.predict(x, rows.length);
    return served(loaded, rows, decodeOutputs(raw, rows.length, manifest.head), 0, path);
  }

  /**
   * `predict` for several requests' rows in one kernel call: each request's answer, or the error its
   * own rows raised as a RowsFailed (those rows are left out of the call). A failure of the call
   * itself throws.
   */
  predictMany(
    loaded: LoadedVersion,
    requests: readonly { rows: readonly unknown[]; path: string }[],
  ): (ServedRows | RowsFailed)[] {
    const { manifest, predictor } = loaded;
    const width = manifest.transform.width;
    let total = 0;
    for (const r of requests) total += r.rows.length;
    const x = new Float32Array(total * width);
    // Each request's first row in the call, or its error.
    const starts: (number | RowsFailed)[] = [];
    let at = 0;
    for (const r of requests) {
      try {
        encodeRows(manifest.transform, r.rows, r.path, x.subarray(at * width, (at + r.rows.length) * width));
      } catch (e) {
        // The next request's rows overwrite what this one wrote.
        starts.push(new RowsFailed(e));
        continue;
      }
      starts.push(at);
      at += r.rows.length;
    }
    const out = at === 0 ? null : decodeOutputs(predictor.predict(x.subarray(0, at * width), at), at, manifest.head);
    return requests.map((r, i) => {
      const start = starts[i];
      if (typeof start !== 'number') return start;
      try {
        return served(loaded, r.rows, out!, start, r.path);
      } catch (e) {
        return new RowsFailed(e);
      }
    });
  }
}

/** What one request of a batch raised instead of its answer. */
export class RowsFailed {
  constructor(readonly error: unknown) {}
}

/**
 * `rows`' answers from decoded outputs in which they start at row `from`. A row whose output is not a
 * number (inputs so far beyond training that the network's float32 arithmetic overflows) is a 400
 * naming the row and its out-of-range fields, never an answer of nulls with the first class's label.
 */
function served(
  loaded: LoadedVersion,
  rows: readonly unknown[],
  out: ReturnType<typeof decodeOutputs>,
  from: number,
  path: string,
): ServedRows {
  const { manifest } = loaded;
  const records = rows.map((row) =>
    Array.isArray(row)
      ? Object.fromEntries(loaded.featureNames.map((n, i) => [n, row[i]]))
      : (row as Record<string, unknown>),
  );
  const predictions: Prediction[] = [];
  if (manifest.head.task === 'classification') {
    const labels = manifest.head.labels;
    const { proba, labelIndex } = out as { proba: Float32Array; labelIndex: Int32Array };
    const k = labels.length;
    for (let r = from; r < from + rows.length; r++) {
      const probabilities: Record<string, number> = {};
      for (let j = 0; j < k; j++) {
        const p = proba[r * k + j];
        if (!Number.isFinite(p)) throw notANumber(loaded, records[r - from], r - from, path);
        probabilities[labels[j]] = p;
      }
      predictions.push({ label: labels[labelIndex[r]], probabilities });
    }
  } else {
    const { values } = out as { values: Float64Array };
    for (let r = from; r < from + rows.length; r++) {
      if (!Number.isFinite(values[r])) throw notANumber(loaded, records[r - from], r - from, path);
      predictions.push({ value: values[r] });
    }
  }
  return { version: loaded.version, predictions, records, loaded };
}

function notANumber(loaded: LoadedVersion, record: Record<string, unknown>, row: number, path: string): FlywheelError {
  const far = (inputWarnings(loaded.manifest.signature.inputs, [record]) ?? []).filter(
    (w) => w.kind === 'out_of_range',
  );
  const why = far.length > 0 ? `: ${far.map((w) => `${w.field}: ${w.message}`).join('; ')}` : '';
  return new FlywheelError(
    'bad_input',
    `${path}[${row}]: the model's output for this row is not a number (its inputs overflow the model's float32 arithmetic)${why}`,
    [{ path: `${path}[${row}]`, message: "the model's output is not a number" }],
  );
}
