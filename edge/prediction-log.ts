/**
 * The prediction log: every served row with its request id, buffered in memory and written in
 * batches (never one write per request), so feedback can join ground truth to what was predicted.
 *
 * Rows are packed into bytes as they come (edge/store/packed-rows.ts) and written through the row
 * sink (edge/store/row-sink.ts): on Node its background thread, so a busy second's rows no longer hold
 * the only JavaScript thread for 70–80 ms (bench/edge's p99); on D1 sliced transactions with the
 * event loop let in between. Flushes run one after another, so when `flush()` resolves everything
 * pushed before the call is stored. Inserts are INSERT OR IGNORE: a retried write never duplicates a row.
 */
import type { Prediction } from '../core/api/contract';
import { RowPacker, type PackedRows } from './store/packed-rows';
import type { RowInsert, RowSink } from './store/row-sink';

/** Rows per packed block handed to the sink: one message to a writer thread. */
const HANDOFF_ROWS = 1024;
/** Buffered rows that start a handoff to a sink off this thread without waiting for the periodic flush. */
export const EAGER_HANDOFF_ROWS = 256;
/**
 * Rows held while writes fall behind (a database that is down, or a writer thread short of CPU under
 * a flood of batches); past this, new rows are dropped and counted (/metrics) instead of memory
 * growing without bound. A row takes about half a kilobyte (packed, outside the JS heap), so this
 * is about 50 MB.
 */
export const MAX_BUFFERED_ROWS = 100_000;
/** A warning goes to the log on the first dropped row and then every this many. */
const DROP_WARNING_EVERY = 10_000;

const INSERT: RowInsert = {
  into: 'INSERT OR IGNORE INTO predictions (request_id, model, version, at, prediction, features)',
  columns: 6,
};

export interface LoggedPrediction {
  requestId: string;
  model: string;
  version: number;
  at: number;
  prediction: Prediction;
  /** `prediction` as JSON text, when the caller has made it already. */
  predictionJson?: string;
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
/** LogRow's columns for the packer: text, text, number, number, text, text. */
const LOG_ROW_TYPES = 'ssnnss';

export class PredictionLog {
  /**
   * Rows packed into bytes as they come, sealed into blocks of HANDOFF_ROWS. Arrays of strings waiting
   * for the writer survived young-generation collections and were promoted, about a kilobyte per
   * request, and scavenges spent their time copying them; bytes live outside the JS heap, and a block
   * crosses to a writer thread as one copy.
   */
  private readonly packer = new RowPacker(LOG_ROW_TYPES);
  /** Sealed blocks waiting for the writer (those of a failed write first) and their rows. */
  private blocks: PackedRows[] = [];
  private blockRows = 0;
  /** Rows taken by the write under way: they count towards the limit until written. */
  private inFlight = 0;
  private writing: Promise<void> = Promise.resolve();
  private handoffQueued = false;
  /** Set by a failed write, cleared by a successful one: no eager handoffs meanwhile, only the periodic retries. */
  private failing = false;
  private droppedRows = 0;
  private readonly maxBuffered: number;

  constructor(
    private readonly sink: RowSink,
    options: { maxBufferedRows?: number } = {},
  ) {
    this.maxBuffered = options.maxBufferedRows ?? MAX_BUFFERED_ROWS;
  }

  push(entry: LoggedPrediction): void {
    if (this.pending >= this.maxBuffered) {
      this.drop(1);
      return;
    }
    const row: LogRow = [
      entry.requestId,
      entry.model,
      entry.version,
      entry.at,
      entry.predictionJson ?? JSON.stringify(entry.prediction),
      entry.featuresJson ?? JSON.stringify(entry.features),
    ];
    this.packer.push(row);
    if (this.packer.count >= HANDOFF_ROWS) this.seal();
    // Hand rows to a writer thread as soon as there are enough for one message rather than at the
    // timer's flush: the sooner it has them, the sooner a crash cannot lose them.
    if (
      this.sink.offThread &&
      !this.failing &&
      this.blockRows + this.packer.count >= EAGER_HANDOFF_ROWS &&
      !this.handoffQueued
    ) {
      this.handoffQueued = true;
      setTimeout(() => {
        this.handoffQueued = false;
        this.flush().catch(() => {
          // Kept for the next try; the runtime's periodic flush retries and reports.
        });
      }, 0);
    }
  }

  /** Rows waiting to be written, the write under way included. */
  get pending(): number {
    return this.blockRows + this.packer.count + this.inFlight;
  }

  /** Rows not logged because too many were waiting, since the process started. */
  get dropped(): number {
    return this.droppedRows;
  }

  /** Writes what is buffered, after any flush already under way. Rows whose write failed are kept for the next flush, and the error is thrown. */
  flush(): Promise<void> {
    const next = this.writing.catch(() => {}).then(() => this.handOver());
    this.writing = next;
    return next;
  }

  private drop(rows: number): void {
    const before = this.droppedRows;
    this.droppedRows += rows;
    if (Math.floor(before / DROP_WARNING_EVERY) !== Math.floor(this.droppedRows / DROP_WARNING_EVERY) || before === 0) {
      console.error(
        `flywheel: the prediction log is ${this.pending.toLocaleString('en-US')} rows behind; dropping rows (${this.droppedRows.toLocaleString('en-US')} so far) until writes catch up`,
      );
    }
  }

  private seal(): void {
    const block = this.packer.take();
    if (!block) return;
    this.blocks.push(block);
    this.blockRows += block.count;
  }

  /** Every waiting block to the sink, in order. */
  private async handOver(): Promise<void> {
    this.seal();
    const blocks = this.blocks;
    if (blocks.length === 0) return;
    this.blocks = [];
    this.inFlight = this.blockRows;
    this.blockRows = 0;
    let written = 0;
    try {
      for (; written < blocks.length; written++) await this.sink.write(INSERT, blocks[written]);
      this.failing = false;
    } catch (e) {
      this.failing = true;
      // Unwritten blocks go back in front (part of one may have committed; OR IGNORE
      // makes writing it again harmless); the newest beyond the limit are dropped.
      const back = blocks.slice(written);
      let rows = back.reduce((n, b) => n + b.count, 0);
      const newer = this.packer.count;
      while (back.length > 0 && rows + newer > this.maxBuffered) {
        const last = back.pop()!;
        rows -= last.count;
        this.drop(last.count);
      }
      this.blocks = back;
      this.blockRows = rows;
      throw e;
    } finally {
      this.inFlight = 0;
    }
  }
}
