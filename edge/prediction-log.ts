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
  /** Rows taken from the buffer by the write under way: they count towards the limit until written. */
  private inFlight = 0;
  private writing: Promise<void> = Promise.resolve();
  private handoffQueued = false;
  /** Set by a failed write, cleared by a successful one: no eager handoffs meanwhile, only the periodic retries. */
  private failing = false;
  private droppedRows = 0;
  private readonly maxBuffered: number;

  constructor(private readonly db: SqlDatabase, options: { maxBufferedRows?: number } = {}) {
    this.maxBuffered = options.maxBufferedRows ?? MAX_BUFFERED_ROWS;
  }

  push(entry: LoggedPrediction): void {
    if (this.buffer.length + this.inFlight >= this.maxBuffered) {
      this.drop(1);
      return;
    }
    this.buffer.push([entry.requestId, entry.model, entry.version, entry.at, JSON.stringify(entry.prediction), entry.featuresJson ?? JSON.stringify(entry.features)]);
    // With a background writer, hand rows over as soon as there are enough for one message: rows
    // held for the whole second until the timer's flush lived long enough to be promoted to V8's old
    // generation, and young-generation collections spent their time copying them.
    if (this.db.runMany && !this.failing && this.buffer.length >= EAGER_HANDOFF_ROWS && !this.handoffQueued) {
      this.handoffQueued = true;
      setTimeout(() => {
        this.handoffQueued = false;
        this.flush().catch(() => {
          // Kept in the buffer; the runtime's periodic flush retries and reports.
        });
      }, 0);
    }
  }

  /** Rows waiting to be written, the write under way included. */
  get pending(): number {
    return this.buffer.length + this.inFlight;
  }

  /** Rows not logged because too many were waiting, since the process started. */
  get dropped(): number {
    return this.droppedRows;
  }

  /** Writes what is buffered, after any flush already under way. Rows whose write failed go back to the buffer, and the error is thrown. */
  flush(): Promise<void> {
    const next = this.writing.catch(() => {}).then(() => this.writeBuffered());
    this.writing = next;
    return next;
  }

  private drop(rows: number): void {
    const before = this.droppedRows;
    this.droppedRows += rows;
    if (Math.floor(before / DROP_WARNING_EVERY) !== Math.floor(this.droppedRows / DROP_WARNING_EVERY) || before === 0) {
      console.error(`flywheel: the prediction log is ${this.pending.toLocaleString('en-US')} rows behind; dropping rows (${this.droppedRows.toLocaleString('en-US')} so far) until writes catch up`);
    }
  }

  private async writeBuffered(): Promise<void> {
    const batch = this.buffer;
    if (batch.length === 0) return;
    this.buffer = [];
    this.inFlight = batch.length;
    let written = 0;
    try {
      if (this.db.runMany) {
        for (; written < batch.length; written += HANDOFF_ROWS) await this.db.runMany(INSERT_ONE, batch.slice(written, written + HANDOFF_ROWS));
      } else {
        for (; written < batch.length; written += SLICE_ROWS) {
          if (written > 0) await yieldToEventLoop();
          await this.db.batch(insertStatements(batch, written, Math.min(batch.length, written + SLICE_ROWS)));
        }
      }
      this.failing = false;
    } catch (e) {
      this.failing = true;
      // The unwritten rows go back in front (a part of them may have committed on the thread; OR
      // IGNORE makes writing them again harmless), the newest beyond the limit are dropped.
      const back = batch.slice(written).concat(this.buffer);
      const room = Math.max(0, this.maxBuffered);
      if (back.length > room) this.drop(back.length - room);
      this.buffer = back.slice(0, room);
      throw e;
    } finally {
      this.inFlight = 0;
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
