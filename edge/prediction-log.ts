/**
 * The prediction log: every served row with its request id, buffered in memory and written in
 * batches (never one write per request), so feedback can join ground truth to what was predicted.
 */
import type { Prediction } from '../core/api/contract';
import type { SqlDatabase, SqlStatement } from './store/sql';

/** Rows per INSERT: D1 binds at most 100 parameters per statement, and a row takes 6. */
const ROWS_PER_INSERT = 16;

export interface LoggedPrediction {
  requestId: string;
  model: string;
  version: number;
  at: number;
  prediction: Prediction;
  features: Record<string, unknown>;
}

export class PredictionLog {
  private buffer: LoggedPrediction[] = [];

  push(entry: LoggedPrediction): void {
    this.buffer.push(entry);
  }

  get pending(): number {
    return this.buffer.length;
  }

  /** Writes what is buffered in one atomic batch; on failure the rows go back to the buffer. */
  async flush(db: SqlDatabase): Promise<void> {
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    try {
      await db.batch(insertStatements(batch));
    } catch (e) {
      this.buffer = batch.concat(this.buffer);
      throw e;
    }
  }
}

function insertStatements(rows: LoggedPrediction[]): SqlStatement[] {
  const out: SqlStatement[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const chunk = rows.slice(i, i + ROWS_PER_INSERT);
    out.push({
      sql: `INSERT OR IGNORE INTO predictions (request_id, model, version, at, prediction, features) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
      params: chunk.flatMap((r) => [r.requestId, r.model, r.version, r.at, JSON.stringify(r.prediction), JSON.stringify(r.features)]),
    });
  }
  return out;
}
