/**
 * Monitoring at the edge: every request is folded into in-memory rollups (core/telemetry) that are
 * written in one batch per flush; telemetry, drift and /metrics read them back. A failed write puts
 * the batch back, so a crash loses at most what was recorded since the last flush.
 */
import { driftReport } from '../core/drift';
import { driftInputs, prometheusText, seriesStep, summarize, TelemetryRecorder, type RollupRecord } from '../core/telemetry';
import type { TableProfile } from '../core/features';
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

  constructor(private readonly db: SqlDatabase, private readonly now: () => number, private readonly version = '') {}

  observe(o: Observation): void {
    const version = String(o.version);
    const key = `${o.model}\u0000${version}`;
    if (!this.registered.has(key)) {
      this.recorder.registerBaseline(o.model, version, o.loaded.manifest.baseline);
      this.registered.add(key);
    }
    let features: Record<string, (number | string | null)[]> | undefined;
    let predictions: { labels?: string[]; values?: number[] } | undefined;
    if (o.served) {
      features = {};
      for (const name of o.loaded.featureNames) features[name] = o.served.records.map((r) => cell(r[name]));
      const first = o.served.predictions[0];
      predictions = first && 'label' in first
        ? { labels: o.served.predictions.map((p) => ('label' in p ? p.label : '')) }
        : { values: o.served.predictions.map((p) => ('value' in p ? p.value : NaN)) };
    }
    this.recorder.record({ model: o.model, version, at: this.now(), latencyMs: o.latencyMs, rows: o.rows, status: o.status, ...(predictions ? { predictions } : {}), ...(features ? { features } : {}) });
  }

  /** Rollups buffered since the last flush. */
  get pending(): number {
    return this.recorder.buffered;
  }

  /** Writes the buffered rollups in one atomic batch; on failure they go back to be retried. */
  async flush(): Promise<void> {
    const batch = this.recorder.drain();
    if (batch.length === 0) return;
    try {
      await this.db.batch(insertStatements(batch));
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

function cell(v: unknown): number | string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string') return v;
  return String(v);
}

function insertStatements(records: RollupRecord[]): SqlStatement[] {
  const out: SqlStatement[] = [];
  for (let i = 0; i < records.length; i += ROWS_PER_INSERT) {
    const chunk = records.slice(i, i + ROWS_PER_INSERT);
    out.push({
      sql: `INSERT INTO telemetry (model, version, minute, rollup) VALUES ${chunk.map(() => '(?, ?, ?, ?)').join(', ')}`,
      params: chunk.flatMap((r) => [r.model, Number(r.version), r.minute, JSON.stringify(r.rollup)]),
    });
  }
  return out;
}
