/**
 * The prediction log: every served row with its request id, buffered in memory and written in
 * batches (never one write per request), so feedback can join ground truth to what was predicted.
 *
 * Writing a busy second's rows in one go held the Node edge's only thread for 70–80 ms, and every
 * request that arrived meanwhile waited (bench/edge's p99). So where the database offers `runMany`
 * (Node's SQLite: a background thread with its own connection) the rows go there; elsewhere (D1)
 * they are written in slices of SLICE_ROWS rows, one transaction each, with the event loop let in
 * between. Flushes run one after another, so when `flush()` resolves everything pushed before the
 * call is stored. Inserts are INSERT OR IGNORE: a retried write never duplicates a row.
 */
import type { Prediction } from '../core/api/contract';
import type { SqlDatabase, SqlValue } from './store/sql';
import { yieldToEventLoop } from './yield';

/** Rows per INSERT: D1 binds at most 100 parameters per statement, and a row takes 6. */
const ROWS_PER_INSERT = 16;
/** Rows per transaction before a sliced flush yields: about a millisecond of SQLite work on a slow core. */
export const SLICE_ROWS = 128;
/** Rows handed to `runMany` at a time: copying them to the other thread takes about a millisecond. */
const HANDOFF_ROWS = 1024;
/** Buffered rows that start a handoff to a background writer without waiting for the periodic flush. */
export const EAGER_HANDOFF_ROWS = 256;
/**
 * Rows held while writes fall behind (a database that is down, or a writer thread short of CPU under
 * a flood of batches); past this, new rows are dropped and counted (/metrics) instead of memory
 * growing without bound. A buffered row takes about 1 KB, so this is ~100 MB.
 */
export const MAX_BUFFERED_ROWS = 100_000;
/** A warning goes to the log on the first dropped row and then every this many. */
const DROP_WARNING_EVERY = 10_000;

const COLUMNS = '(request_id, model, version, at, prediction, features)';
const INSERT_ONE = `INSERT OR IGNORE INTO predictions ${COLUMNS} VALUES (?, ?, ?, ?, ?, ?)`;

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
 * A row as buffered: the statement's parameters, strings and numbers only. Holding the request's
 * parsed objects for up to a second made them survive young-generation collections, and copying
 * them there cost the Node edge 3–7 ms pauses several times a second under load.
 */
type LogRow = [requestId: string, model: string, version: number, at: number, prediction: string, features: string];

export class PredictionLog {
  private buffer: LogRow[] = [];
  private writing: Promise<void> = Promise.resolve();
  private handoffQueued = false;
  private droppedRows = 0;
  private readonly maxBuffered: number;

  constructor(private readonly db: SqlDatabase, options: { maxBufferedRows?: number } = {}) {
    this.maxBuffered = options.maxBufferedRows ?? MAX_BUFFERED_ROWS;
  }

  push(entry: LoggedPrediction): void {
    if (this.buffer.length >= this.maxBuffered) {
      if (this.droppedRows++ % DROP_WARNING_EVERY === 0) console.error(`flywheel: the prediction log is ${this.buffer.length.toLocaleString('en-US')} rows behind; dropping rows (${this.droppedRows.toLocaleString('en-US')} so far) until writes catch up`);
      return;
    }
    this.buffer.push([entry.requestId, entry.model, entry.version, entry.at, JSON.stringify(entry.prediction), entry.featuresJson ?? JSON.stringify(entry.features)]);
    // With a background writer, hand rows over as soon as there are enough for one message: rows
    // held for the whole second until the timer's flush lived long enough to be promoted to V8's old
    // generation, and young-generation collections spent their time copying them.
    if (this.db.runMany && this.buffer.length >= EAGER_HANDOFF_ROWS && !this.handoffQueued) {
      this.handoffQueued = true;
      setTimeout(() => {
        this.handoffQueued = false;
        this.flush().catch(() => {
          // Kept in the buffer; the runtime's periodic flush retries and reports.
        });
      }, 0);
    }
  }

  get pending(): number {
    return this.buffer.length;
  }

  /** Rows not logged because the buffer was full, since the process started. */
  get dropped(): number {
    return this.droppedRows;
  }

  /** Writes what is buffered, after any flush already under way. Rows whose write failed go back to the buffer, and the error is thrown. */
  flush(): Promise<void> {
    const next = this.writing.catch(() => {}).then(() => this.writeBuffered());
    this.writing = next;
    return next;
  }

  private async writeBuffered(): Promise<void> {
    const batch = this.buffer;
    if (batch.length === 0) return;
    this.buffer = [];
    if (this.db.runMany) {
      for (let start = 0; start < batch.length; start += HANDOFF_ROWS) {
        try {
          await this.db.runMany(INSERT_ONE, batch.slice(start, start + HANDOFF_ROWS));
        } catch (e) {
          // Some transactions may have committed; OR IGNORE makes writing them again harmless.
          this.buffer = batch.slice(start).concat(this.buffer);
          throw e;
        }
      }
      return;
    }
    for (let start = 0; start < batch.length; start += SLICE_ROWS) {
      if (start > 0) await yieldToEventLoop();
      try {
        await this.db.batch(insertStatements(batch, start, Math.min(batch.length, start + SLICE_ROWS)));
      } catch (e) {
        this.buffer = batch.slice(start).concat(this.buffer);
        throw e;
      }
    }
  }
}

function insertStatements(rows: readonly LogRow[], from: number, to: number) {
  const out = [];
  for (let i = from; i < to; i += ROWS_PER_INSERT) {
    const end = Math.min(to, i + ROWS_PER_INSERT);
    const params: SqlValue[] = [];
    for (let j = i; j < end; j++) params.push(...rows[j]);
    out.push({ sql: `INSERT OR IGNORE INTO predictions ${COLUMNS} VALUES ${valuesList(end - i)}`, params });
  }
  return out;
}

const valuesLists: string[] = [];

/** `(?, …), …` for `n` rows, built once per size. */
function valuesList(n: number): string {
  return (valuesLists[n] ??= Array.from({ length: n }, () => '(?, ?, ?, ?, ?, ?)').join(', '));
}
