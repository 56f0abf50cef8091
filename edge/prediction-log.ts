/**
 * The prediction log: every served row with its request id, buffered in memory and written in
 * batches (never one write per request), so feedback can join ground truth to what was predicted.
 *
 * A flush is written in slices of SLICE_ROWS rows, one transaction each, yielding to the event loop
 * between them: a busy second's worth of rows written in one go held the Node edge's only thread for
 * 70–80 ms, and every request that arrived meanwhile waited (bench/edge's p99). Flushes run one after
 * another, so when `flush()` resolves everything pushed before the call is stored.
 */
import type { Prediction } from '../core/api/contract';
import type { SqlDatabase, SqlStatement } from './store/sql';
import { yieldToEventLoop } from './yield';

/** Rows per INSERT: D1 binds at most 100 parameters per statement, and a row takes 6. */
const ROWS_PER_INSERT = 16;
/** Rows per transaction before the flush yields: about a millisecond of SQLite work on this project's 2-core test machine. */
export const SLICE_ROWS = 128;

export interface LoggedPrediction {
  requestId: string;
  model: string;
  version: number;
  at: number;
  prediction: Prediction;
  features: Record<string, unknown>;
  /**
   * `features` as JSON text when the transport already has it (the row as the client sent it):
   * formatting numbers is most of what a logged row costs, and this skips it.
   */
  featuresJson?: string;
}

/**
 * What the buffer holds of a row until it is written: flat strings and numbers. Holding the request's
 * parsed objects for up to a second made them survive young-generation collections, and copying
 * them there cost the Node edge 3–7 ms pauses several times a second under load.
 */
interface BufferedRow {
  requestId: string;
  model: string;
  version: number;
  at: number;
  prediction: string;
  /** The features as JSON text, or the record itself when no text came with it (written at flush). */
  features: string | Record<string, unknown>;
}

export class PredictionLog {
  private buffer: BufferedRow[] = [];
  private writing: Promise<void> = Promise.resolve();

  push(entry: LoggedPrediction): void {
    this.buffer.push({
      requestId: entry.requestId,
      model: entry.model,
      version: entry.version,
      at: entry.at,
      prediction: JSON.stringify(entry.prediction),
      features: entry.featuresJson ?? entry.features,
    });
  }

  get pending(): number {
    return this.buffer.length;
  }

  /**
   * Writes what is buffered, after any flush already under way. A slice that fails goes back to the
   * buffer with every row not yet written, and the error is thrown; slices written before it stay.
   */
  flush(db: SqlDatabase): Promise<void> {
    const next = this.writing.catch(() => {}).then(() => this.writeBuffered(db));
    this.writing = next;
    return next;
  }

  private async writeBuffered(db: SqlDatabase): Promise<void> {
    const batch = this.buffer;
    this.buffer = [];
    for (let start = 0; start < batch.length; start += SLICE_ROWS) {
      if (start > 0) await yieldToEventLoop();
      try {
        await db.batch(insertStatements(batch, start, Math.min(batch.length, start + SLICE_ROWS)));
      } catch (e) {
        this.buffer = batch.slice(start).concat(this.buffer);
        throw e;
      }
    }
  }
}

function insertStatements(rows: readonly BufferedRow[], from: number, to: number): SqlStatement[] {
  const out: SqlStatement[] = [];
  for (let i = from; i < to; i += ROWS_PER_INSERT) {
    const end = Math.min(to, i + ROWS_PER_INSERT);
    const params = [];
    for (let j = i; j < end; j++) {
      const r = rows[j];
      params.push(r.requestId, r.model, r.version, r.at, r.prediction, typeof r.features === 'string' ? r.features : JSON.stringify(r.features));
    }
    out.push({ sql: `INSERT OR IGNORE INTO predictions (request_id, model, version, at, prediction, features) VALUES ${valuesList(end - i)}`, params });
  }
  return out;
}

const valuesLists: string[] = [];

/** `(?, …), …` for `n` rows, built once per size. */
function valuesList(n: number): string {
  return (valuesLists[n] ??= Array.from({ length: n }, () => '(?, ?, ?, ?, ?, ?)').join(', '));
}
