/**
 * Monitoring at the edge: every request is folded into in-memory rollups (core/telemetry) that are
 * written in one batch per flush; telemetry, drift and /metrics read them back. A failed write puts
 * the batch back, so a crash loses at most what was recorded since the last flush.
 */
import { driftReport } from '../core/drift';
import { driftInputs, prometheusText, seriesStep, summarize, TelemetryRecorder, type RollupRecord } from '../core/telemetry';
import type { TableProfile } from '../core/features';
import { rollupJson } from './rollup-json';
import type { LoadedVersion, ServedRows } from './serving';
import type { SqlDatabase, SqlStatement } from './store/sql';

/** Rollup rows per INSERT: 4 parameters each, under D1's 100-parameter limit. */
const ROWS_PER_INSERT = 24;

export interface Observation {
  model: string;
  version: number;
  latencyMs: number;
  rows: number;
  status: number;
  loaded: LoadedVersion;
  served: ServedRows | null;
}

export class Monitor {
  private readonly recorder = new TelemetryRecorder();
  private readonly registered = new Set<string>();
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly db: SqlDatabase, private readonly now: () => number, private readonly version = '') {}

  observe(o: Observation): void {
    const version = String(o.version);
    const key = `${o.model}\u0000${version}`;
    if (!this.registered.has(key)) {
      this.recorder.registerBaseline(o.model, version, o.loaded.manifest.baseline);
      this.registered.add(key);
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
    this.recorder.record({ model: o.model, version, at: this.now(), latencyMs: o.latencyMs, rows: o.rows, status: o.status, predictions, records: o.served?.records });
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
      const texts: string[] = [];
      for (const record of batch) texts.push(await rollupJson(record.rollup));
      await this.db.batch(insertStatements(batch, texts));
    } catch (e) {
      this.recorder.restore(batch);
      throw e;
    }
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
    return summarize(await this.records(model, from - 60_000), { from: from - (from % 60_000), to, stepMs: seriesStep(windowMs) });
  }

  /** Requests, error rate and p95 latency per version since `since` (ms). */
  async versionStats(model: string, since: number): Promise<Map<number, { requests: number; errorRate: number; p95Ms: number | null }>> {
    await this.flush();
    const to = this.now() + 1;
    const summary = summarize(await this.records(model, since - (since % 60_000)), { from: since - (since % 60_000), to, stepMs: Math.max(60_000, to - since) });
    return new Map(Object.entries(summary.versions).map(([v, t]) => [Number(v), { requests: t.requests, errorRate: t.error_rate ?? 0, p95Ms: t.latency_ms.p95 }]));
  }

  async drift(model: string, version: number, baseline: TableProfile, windowMs: number) {
    const since = this.now() - windowMs;
    const records = await this.records(model, since - (since % 60_000), version);
    const inputs = driftInputs(records, baseline);
    const report = driftReport(inputs);
    // What was served, beside each statistic, so a UI can draw baseline vs serving.
    const served = new Map(inputs.map((i) => [i.feature, i.current.type === 'numeric' ? { histogram: i.current.histogram ?? null } : { counts: i.current.counts }]));
    return { model, version, window_ms: windowMs, ...report, features: report.features.map((f) => ({ ...f, current: served.get(f.feature) ?? null })) };
  }

  async prometheus(): Promise<string> {
    const models = await this.db.first<{ n: number }>('SELECT COUNT(*) AS n FROM models');
    return prometheusText({ totals: this.recorder.totals(), models: models?.n ?? 0, version: this.version });
  }
}

function insertStatements(records: RollupRecord[], texts: string[]): SqlStatement[] {
  const out: SqlStatement[] = [];
  for (let i = 0; i < records.length; i += ROWS_PER_INSERT) {
    const end = Math.min(records.length, i + ROWS_PER_INSERT);
    const params = [];
    for (let j = i; j < end; j++) params.push(records[j].model, Number(records[j].version), records[j].minute, texts[j]);
    out.push({ sql: `INSERT INTO telemetry (model, version, minute, rollup) VALUES ${Array.from({ length: end - i }, () => '(?, ?, ?, ?)').join(', ')}`, params });
  }
  return out;
}
