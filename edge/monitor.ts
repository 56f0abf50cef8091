/**
 * Monitoring at the edge: every request is folded into in-memory rollups (core/telemetry) that are
 * written in one batch per flush; telemetry, drift and /metrics read them back. A failed write puts
 * the batch back, so a crash loses at most what was recorded since the last flush.
 */
import { driftReport } from '../core/drift';
import { FlywheelError } from '../core/errors';
import { denseKernelKind } from '../core/infer/wasm-dense-kernel';
import {
  driftInputs,
  featureDistributions,
  mergeRollups,
  minuteStart,
  prometheusText,
  seriesStep,
  summarize,
  TelemetryRecorder,
  type Rollup,
  type RollupRecord,
} from '../core/telemetry';
import type { DriftFeatureReport, DriftResponse } from '../core/api/contract';
import type { TableProfile } from '../core/features';
import type { LoadedVersion, ServedRows } from './serving';
import type { RowInsert, RowSink } from './store/row-sink';
import type { SqlDatabase } from './store/sql';

/** Minutes before the current one whose rollups stay in memory, so the next flush adds to them without reading them back. */
const OPEN_MINUTES = 2;
const MINUTE_MS = 60_000;
/** How long the names of evicted rows are remembered; no request arrives later than this for its minute. */
const EVICTED_KEPT_MS = 24 * 60 * MINUTE_MS;

export interface Observation {
  model: string;
  version: number;
  latencyMs: number;
  rows: number;
  status: number;
  loaded: LoadedVersion;
  served: ServedRows | null;
  /** When it was served (epoch ms), if the caller has it already; else the monitor's clock. */
  at?: number;
}

export class Monitor {
  private readonly recorder = new TelemetryRecorder();
  private readonly registered = new Set<string>();
  /** Loaded versions whose model and version are in `registered`. */
  private readonly registeredLoaded = new WeakSet<LoadedVersion>();
  private writing: Promise<void> = Promise.resolve();
  /** Requests answered with an error status, by status, since this process (or isolate) started. */
  private readonly rejected = new Map<number, number>();
  /** Each stored row's rollup so far (the minute's total from this writer), by model, version and minute. */
  private readonly stored = new Map<string, { minute: number; rollup: Rollup }>();
  /** Rows this writer wrote whose rollup left memory (minute → keys): a late request for one reads it back. */
  private readonly evicted = new Map<number, Set<string>>();
  /** Minutes from here on were never written by this writer before it started. */
  private readonly firstMinute: number;

  /**
   * `writer` names this process or isolate in the telemetry rows it owns (migration 0004): each
   * flush rewrites its row of the minute with the minute's total so far.
   */
  constructor(
    private readonly db: SqlDatabase,
    private readonly sink: RowSink,
    private readonly now: () => number,
    private readonly version = '',
    private readonly writer: string = crypto.randomUUID(),
  ) {
    if (writer === '')
      throw new FlywheelError('bad_input', 'a telemetry writer needs a name', [{ path: 'writer', message: 'empty' }]);
    this.firstMinute = minuteStart(now()) + MINUTE_MS;
  }

  observe(o: Observation): void {
    const version = String(o.version);
    // Checked by the loaded version first: the key below is a new string to hash on every request.
    if (!this.registeredLoaded.has(o.loaded)) {
      const key = `${o.model}\u0000${version}`;
      if (!this.registered.has(key)) {
        this.recorder.registerBaseline(o.model, version, o.loaded.manifest.baseline);
        this.registered.add(key);
      }
      this.registeredLoaded.add(o.loaded);
    }
    let predictions: { labels?: string[]; values?: number[] } | undefined;
    if (o.served) {
      const served = o.served.predictions;
      const first = served[0];
      if (first && 'label' in first) {
        const labels = new Array<string>(served.length);
        for (let i = 0; i < served.length; i++) labels[i] = (served[i] as { label: string }).label;
        predictions = { labels };
      } else {
        const values = new Array<number>(served.length);
        for (let i = 0; i < served.length; i++) values[i] = (served[i] as { value: number }).value;
        predictions = { values };
      }
    }
    this.recorder.record({
      model: o.model,
      version,
      at: o.at ?? this.now(),
      latencyMs: o.latencyMs,
      rows: o.rows,
      status: o.status,
      predictions,
      records: o.served?.records,
    });
  }

  /**
   * Counts a request answered with `status` when it is an error (400 and up), whichever route and
   * transport answered it: edge/app.ts's middleware calls it for every answer of the Hono app, and
   * the Node predict fast path for its own.
   */
  answered(status: number): void {
    if (status >= 400) this.rejected.set(status, (this.rejected.get(status) ?? 0) + 1);
  }

  /** Rollups buffered since the last flush. */
  get pending(): number {
    return this.recorder.buffered;
  }

  /**
   * Writes the buffered rollups in one atomic batch, after any flush already under way (so when it
   * resolves, everything recorded before the call is stored); on failure they go back to be retried.
   */
  flush(): Promise<void> {
    const next = this.writing.catch(() => {}).then(() => this.writeBuffered());
    this.writing = next;
    return next;
  }

  private async writeBuffered(): Promise<void> {
    const batch = this.recorder.drain();
    if (batch.length === 0) return;
    try {
      const totals: Rollup[] = [];
      for (const record of batch) {
        const key = storedKey(record);
        // Only a minute this writer may have written before without keeping it can have a row to add to:
        // one that began before this Monitor did (a restart under the same name), or one evicted.
        const mayExist = record.minute < this.firstMinute || this.evicted.get(record.minute)?.has(key) === true;
        const before = this.stored.get(key)?.rollup ?? (mayExist ? await this.storedRollup(record) : null);
        totals.push(before ? mergeRollups(before, record.rollup) : record.rollup);
      }
      // The rollup goes as data: the sink formats its JSON where it writes (Node: on its thread).
      await this.sink.write(
        UPSERT,
        batch.map((r, i) => [r.model, Number(r.version), r.minute, this.writer, totals[i]]),
        [4],
      );
      batch.forEach((record, i) => this.stored.set(storedKey(record), { minute: record.minute, rollup: totals[i] }));
    } catch (e) {
      this.recorder.restore(batch);
      throw e;
    }
    const oldest = minuteStart(this.now()) - OPEN_MINUTES * MINUTE_MS;
    for (const [key, { minute }] of this.stored) {
      if (minute >= oldest) continue;
      this.stored.delete(key);
      let keys = this.evicted.get(minute);
      if (!keys) this.evicted.set(minute, (keys = new Set()));
      keys.add(key);
    }
    for (const minute of this.evicted.keys()) if (minute < oldest - EVICTED_KEPT_MS) this.evicted.delete(minute);
  }

  /** This writer's row of a minute no longer in memory (a late request, or a restart that kept the writer name). */
  private async storedRollup(record: RollupRecord): Promise<Rollup | null> {
    const row = await this.db.first<{ rollup: string }>(
      'SELECT rollup FROM telemetry WHERE model = ? AND version = ? AND minute = ? AND writer = ?',
      [record.model, Number(record.version), record.minute, this.writer],
    );
    return row ? (JSON.parse(row.rollup) as Rollup) : null;
  }

  private async records(model: string, since: number, version?: number): Promise<RollupRecord[]> {
    const rows = await this.db.all<{ version: number; minute: number; rollup: string }>(
      version === undefined
        ? 'SELECT version, minute, rollup FROM telemetry WHERE model = ? AND minute >= ? ORDER BY minute'
        : 'SELECT version, minute, rollup FROM telemetry WHERE model = ? AND minute >= ? AND version = ? ORDER BY minute',
      version === undefined ? [model, since] : [model, since, version],
    );
    return rows.map((r) => ({ model, version: String(r.version), minute: r.minute, rollup: JSON.parse(r.rollup) }));
  }

  async telemetry(model: string, windowMs: number) {
    const to = this.now() + 1;
    const from = to - windowMs;
    // Rows are keyed by the minute they start; a window starting mid-minute still counts that minute.
    return summarize(await this.records(model, from - 60_000), {
      from: from - (from % 60_000),
      to,
      stepMs: seriesStep(windowMs),
    });
  }

  /** Requests, error rate and p95 latency per version since `since` (ms). */
  async versionStats(
    model: string,
    since: number,
  ): Promise<Map<number, { requests: number; errorRate: number; p95Ms: number | null }>> {
    await this.flush();
    const to = this.now() + 1;
    const summary = summarize(await this.records(model, since - (since % 60_000)), {
      from: since - (since % 60_000),
      to,
      stepMs: Math.max(60_000, to - since),
    });
    return new Map(
      Object.entries(summary.versions).map(([v, t]) => [
        Number(v),
        { requests: t.requests, errorRate: t.error_rate ?? 0, p95Ms: t.latency_ms.p95 },
      ]),
    );
  }

  async drift(model: string, version: number, baseline: TableProfile, windowMs: number) {
    const since = this.now() - windowMs;
    const records = await this.records(model, since - (since % 60_000), version);
    const inputs = driftInputs(records, baseline);
    const report = driftReport(inputs);
    // Both distributions beside each statistic, so a UI can overlay serving on the baseline (`current` is the older raw form).
    const byFeature = new Map(inputs.map((i) => [i.feature, i]));
    return {
      model,
      version,
      window_ms: windowMs,
      ...report,
      features: report.features.map((f): DriftFeatureReport => {
        const input = byFeature.get(f.feature)!;
        const current =
          input.current.type === 'numeric'
            ? { histogram: input.current.histogram ?? null }
            : { counts: input.current.counts };
        return { ...f, current, ...featureDistributions(input) };
      }),
    } satisfies DriftResponse;
  }

  /** The /metrics text; `predictionLog` adds the prediction log's backlog and drops. */
  /** The metrics in Prometheus text; models named in `hidden` (private ones, for a caller without a predict key) are left out. */
  async prometheus(
    predictionLog?: { buffered: number; dropped: number },
    hidden: ReadonlySet<string> = new Set(),
  ): Promise<string> {
    const models = await this.db.first<{ n: number }>('SELECT COUNT(*) AS n FROM models');
    const totals = this.recorder.totals().filter((t) => !hidden.has(t.model));
    return prometheusText({
      totals,
      models: (models?.n ?? 0) - hidden.size,
      version: this.version,
      inferenceKernel: denseKernelKind(),
      buffered: this.recorder.buffered,
      ...(predictionLog ? { predictionLog } : {}),
      rejected: this.rejected,
    });
  }
}

function storedKey(r: RollupRecord): string {
  return `${r.model}\u0000${r.version}\u0000${r.minute}`;
}

/** A rollup's upsert: its row of the minute holds the minute's total so far, so writing it again is harmless. */
const UPSERT: RowInsert = {
  into: 'INSERT INTO telemetry (model, version, minute, writer, rollup)',
  columns: 5,
  onConflict: `ON CONFLICT (model, version, minute, writer) WHERE writer <> '' DO UPDATE SET rollup = excluded.rollup`,
};
