/** Everything the routes share, built once from the ports: registry, events, keys, serving, logs, monitoring. */
import type { Prediction, Scope } from '../core/api/contract';
import { FlywheelError } from '../core/errors';
import { Automation } from './automation/tick';
import { JobQueue } from './automation/jobs';
import { ReserveSplit } from './automation/reserve';
import type { CorsOrigins } from './cors';
import { EventLog } from './events';
import { KeyStore, scopeAllows } from './keys';
import { Monitor } from './monitor';
import { PredictionLog } from './prediction-log';
import { notFound, Registry } from './registry';
import { Batcher, type BatchingPort, type Waiting } from './batching';
import { RowsFailed, Serving, type LoadedVersion, type ServedRows } from './serving';
import type { BlobStore } from './store/blob';
import { sqlRowSink, type RowSink } from './store/row-sink';
import type { SqlDatabase } from './store/sql';

export interface EdgePorts {
  version: string;
  db: SqlDatabase;
  /** Where the prediction log and telemetry go in bulk (Node: SQLite's background thread); default `db`, from this thread. */
  rows?: RowSink;
  blobs: BlobStore;
  /** Milliseconds since the epoch; injected so tests control time. */
  now: () => number;
  /** Load models the lean runtime cannot run with tfjs (Node yes; Workers no, to keep tfjs out of the bundle). */
  allowTfjsFallback: boolean;
  /** Origins whose pages may call the API (edge/cors.ts); default any. */
  corsOrigins?: CorsOrigins;
  /** Headers (name, value pairs) the runtime adds to every answer (Node: cross-origin isolation for the web app). */
  responseHeaders?: readonly string[];
  /** Dynamic batching of concurrent requests (edge/batching.ts); absent: none (Workers). */
  batching?: BatchingPort;
  /** Treat an unknown or revoked bearer key as no key rather than a 401 (`flywheel serve`, which hands out none). */
  ignoreUnknownKeys?: boolean;
}

/** One predict call, whatever the transport: the caller's key scope (null: none) and routing key travel with it. */
export interface PredictCall {
  model: string;
  /** A version the path names; null lets routing choose (canary split, else the champion). */
  pinned: number | null;
  rows: readonly unknown[];
  /** Where the rows sit in the request body, for error messages (`instances`, `inputs`, …). */
  path: string;
  requestId: string;
  scope: Scope | null;
  /** `x-routing-key`: the same key always lands on the same side of a canary split. */
  routingKey: string | null;
  /** A one-row call's row as the JSON text the client sent, when the transport has it: the log stores it as is. */
  rowJson?: string;
}

/** A prediction as JSON: a regressor's by hand (JSON.stringify of a number is its String, or null when not finite), a classifier's by JSON.stringify. */
export function predictionJson(p: Prediction): string {
  if ('value' in p) return Number.isFinite(p.value) ? `{"value":${p.value}}` : '{"value":null}';
  return JSON.stringify(p);
}

/** A call waiting in a batch, with the time its request started. */
type BatchedCall = PredictCall & { started: number };

/** What was served, with a request id per row and each prediction's JSON text (the log stores it; an answer can reuse it). */
export type PredictedRows = ServedRows & { requestIds: string[]; predictionsJson: string[] };

/** Whether a caller holding `scope` (null: no key) may read private models: a predict key or above. */
export function readsPrivate(scope: Scope | null): boolean {
  return scope !== null && scopeAllows(scope, 'predict');
}

export class EdgeServices {
  readonly registry: Registry;
  readonly events: EventLog;
  readonly keys: KeyStore;
  readonly serving: Serving;
  readonly log: PredictionLog;
  readonly monitor: Monitor;
  readonly automation: Automation;
  /** Which feedback rows are kept back to verify challengers on. */
  readonly reserve: ReserveSplit;
  readonly db: SqlDatabase;
  readonly blobs: BlobStore;
  readonly now: () => number;
  /** Concurrent requests of batched versions, collected for one kernel call (null where the runtime does not batch). */
  readonly batcher: Batcher<LoadedVersion, BatchedCall, PredictedRows> | null;

  constructor(readonly ports: EdgePorts) {
    this.db = ports.db;
    this.blobs = ports.blobs;
    this.now = ports.now;
    this.registry = new Registry(ports.db, ports.now);
    this.events = new EventLog(ports.db, ports.now);
    this.keys = new KeyStore(ports.db, ports.now, ports.ignoreUnknownKeys ?? false);
    const rows = ports.rows ?? sqlRowSink(ports.db);
    this.log = new PredictionLog(rows);
    this.serving = new Serving(
      this.registry,
      ports.blobs,
      ports.now,
      ports.allowTfjsFallback,
      ports.batching?.mode ?? 'off',
    );
    this.batcher = ports.batching
      ? new Batcher(ports.batching.defer, (loaded, waiting) => this.serveBatch(loaded, waiting))
      : null;
    this.monitor = new Monitor(ports.db, rows, ports.now, ports.version);
    this.automation = new Automation(this, new JobQueue(ports.db, ports.now));
    this.reserve = new ReserveSplit(ports.db);
  }

  /** Private models need a predict key (a caller holding `scope`; null: no key); public ones are open. Unknown models are a 404. */
  async checkReadable(scope: Scope | null, model: string): Promise<void> {
    const routing = await this.serving.routing(model);
    if (!routing) {
      if (await this.registry.modelExists(model)) return;
      throw notFound(model);
    }
    if (!routing.private || readsPrivate(scope)) return;
    if (!scope)
      throw new FlywheelError('unauthorized', `model "${model}" is private: send an API key with the "predict" scope`, [
        { path: 'authorization', message: 'missing key' },
      ]);
    throw new FlywheelError(
      'forbidden',
      `model "${model}" is private: it needs the "predict" scope; the key has "${scope}"`,
      [{ path: 'authorization', message: 'insufficient scope' }],
    );
  }

  /**
   * The whole predict path for every API format and transport: choose the version (pinned, canary or
   * champion), predict in the lean runtime, log each row under its request id, record telemetry.
   */
  async predictRows(call: PredictCall): Promise<PredictedRows> {
    const started = performance.now();
    const now = this.predictRowsNow(call, started);
    if (now !== undefined) return now;
    await this.checkReadable(call.scope, call.model);
    const { version } = await this.serving.choose(call.model, call.pinned, call.routingKey);
    return this.serveOrBatch(
      call,
      this.serving.loadedNow(call.model, version) ?? (await this.serving.load(call.model, version)),
      started,
    );
  }

  /**
   * `predictRows` without waiting, for a model whose routing is cached and whose version is loaded
   * (nearly every request): undefined when storage must be asked first. Every await costs a turn of
   * the microtask queue.
   */
  predictRowsNow(call: PredictCall, started = performance.now()): PredictedRows | Promise<PredictedRows> | undefined {
    const routing = this.serving.cachedRouting(call.model);
    if (!routing || (routing.private && !readsPrivate(call.scope))) return undefined;
    const loaded = this.serving.loadedNow(
      call.model,
      this.serving.chooseFrom(routing, call.model, call.pinned, call.routingKey),
    );
    return loaded && this.serveOrBatch(call, loaded, started);
  }

  /** Serves now, or (a batched version) joins the requests that go to the model together. */
  private serveOrBatch(
    call: PredictCall,
    loaded: LoadedVersion,
    started: number,
  ): PredictedRows | Promise<PredictedRows> {
    if (!loaded.batched || this.batcher === null) return this.serve(call, loaded, started);
    // The request's own start travels with it: its latency includes the wait for the batch.
    return this.batcher.add(loaded, { ...call, started });
  }

  private serve(call: PredictCall, loaded: LoadedVersion, started: number): PredictedRows {
    let served: ServedRows;
    try {
      served = this.serving.predict(loaded, call.rows, call.path);
    } catch (e) {
      this.observeFailure(call, loaded, started);
      throw e;
    }
    return this.record(call, loaded, served, started);
  }

  /** One kernel call for a batch's requests; each is logged, observed and settled as `serve` would have. */
  private serveBatch(loaded: LoadedVersion, waiting: Waiting<BatchedCall, PredictedRows>[]): void {
    let results: (ServedRows | RowsFailed)[];
    try {
      results = this.serving.predictMany(
        loaded,
        waiting.map((w) => w.item),
      );
    } catch (e) {
      for (const w of waiting) {
        this.observeFailure(w.item, loaded, w.item.started);
        w.reject(e);
      }
      return;
    }
    for (let i = 0; i < waiting.length; i++) {
      const { item, resolve, reject } = waiting[i];
      const started = item.started;
      const result = results[i];
      if (result instanceof RowsFailed) {
        this.observeFailure(item, loaded, started);
        reject(result.error);
      } else resolve(this.record(item, loaded, result, started));
    }
  }

  private observeFailure(call: PredictCall, loaded: LoadedVersion, started: number): void {
    this.monitor.observe({
      model: call.model,
      version: loaded.version,
      latencyMs: performance.now() - started,
      rows: call.rows.length,
      status: 400,
      loaded,
      served: null,
    });
  }

  /** Logs each row of what was served under its request id and observes it: the answer's ids and prediction JSON. */
  private record(call: PredictCall, loaded: LoadedVersion, served: ServedRows, started: number): PredictedRows {
    const { model, rows } = call;
    const { version } = loaded;
    const base = call.requestId;
    const requestIds = rows.length === 1 ? [base] : served.predictions.map((_, i) => `${base}:${i}`);
    const at = this.now();
    const featuresJson = rows.length === 1 && served.records[0] === rows[0] ? call.rowJson : undefined;
    const predictionsJson = served.predictions.map(predictionJson);
    for (let i = 0; i < requestIds.length; i++)
      this.log.push({
        requestId: requestIds[i],
        model,
        version,
        at,
        prediction: served.predictions[i],
        predictionJson: predictionsJson[i],
        features: served.records[i],
        featuresJson,
      });
    this.monitor.observe({
      model,
      version,
      latencyMs: performance.now() - started,
      rows: rows.length,
      status: 200,
      loaded,
      served,
      at,
    });
    return {
      version: served.version,
      predictions: served.predictions,
      records: served.records,
      loaded: served.loaded,
      requestIds,
      predictionsJson,
    };
  }

  /** Prediction-log rows and telemetry rollups not yet written: a runtime without timers (Workers) flushes when this is above 0. */
  get unflushed(): number {
    return this.log.pending + this.monitor.pending;
  }

  /** Writes buffered telemetry and the prediction log; failures keep the data for the next try. */
  async flush(): Promise<void> {
    const results = await Promise.allSettled([this.log.flush(), this.monitor.flush()]);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }
}
