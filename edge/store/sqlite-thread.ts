/**
 * A background thread with its own SQLite connection, for the two writes that would otherwise stall
 * the Node edge's only JavaScript thread:
 *
 * - WAL checkpoints. SQLite's default copies the write-ahead log back into the database file from
 *   inside whichever commit pushes the log past 1,000 pages, synchronously: on the edge that was a
 *   prediction-log write holding the event loop for 12–18 ms. The serving connection turns automatic
 *   checkpoints off; this thread checkpoints PASSIVE-ly (never blocking readers or the writer) every
 *   CHECKPOINT_INTERVAL_MS.
 * - Bulk inserts (the prediction log) and telemetry rollups: `runMany` sends the rows over and the
 *   thread inserts them in short transactions, so the serving thread only pays for copying the values
 *   across. A rollup goes as data and the thread writes its JSON: formatting its ~20,000 sampled
 *   numbers held the serving thread 5–9 ms on every flush.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { PackedRows } from './packed-rows';
import { SqlError } from './sql-error';

/** How often the log is copied back: at most a second of writes accumulates in the WAL. */
export const CHECKPOINT_INTERVAL_MS = 1000;
/** Rows per transaction of `runMany`: about a millisecond, so a write on the serving connection never waits long for the lock. */
export const ROWS_PER_TRANSACTION = 128;
/** Pause between two transactions of one `runMany`, so a write on the serving connection gets the lock. */
const PAUSE_MS = 1;
/** The thread's scheduling priority (nice, -20…19; the process runs at 0): background work, second to serving. */
const THREAD_NICE = 10;
/** How long the thread's writes wait for the serving connection's lock, as the serving connection does. */
const BUSY_TIMEOUT_MS = 5_000;

/**
 * The thread's whole program, evaluated as CommonJS: it must not depend on the TypeScript loader the
 * main thread runs under (a worker thread does not inherit `tsx`'s in-process registration).
 */
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
// better-sqlite3's errors lose their message and code on the way to the main thread; plain data keeps them.
const plain = (e) => ({ message: e && e.message ? e.message : String(e), code: e && e.code ? String(e.code) : 'SQLITE_ERROR' });
// Background work: on Linux this thread (not the process) yields the CPU to the serving thread. On a
// small machine the two compete for a core, and every millisecond the serving thread waits for one is
// added to requests in flight.
try {
  const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  if (Number.isInteger(tid) && tid > 0) require('node:os').setPriority(tid, workerData.nice);
} catch {
  // Not Linux, or not allowed: the thread keeps the process's priority.
}
let db;
try {
  db = new Database(workerData.file, { fileMustExist: true });
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = ' + workerData.busyTimeoutMs);
} catch (e) {
  throw new Error(plain(e).message);
}
const checkpoint = () => {
  try {
    // PASSIVE never waits: a checkpoint that finds readers or a writer in the way does what it can.
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (e) {
    if (e.code !== 'SQLITE_BUSY' && e.code !== 'SQLITE_LOCKED') throw new Error(plain(e).message);
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
const statements = new Map();
// edge/store/packed-rows.ts's layout: per column, 's' a uint32 length and UTF-8 bytes, 'n' a float64.
const unpack = (p) => {
  const buf = Buffer.from(p.bytes.buffer, p.bytes.byteOffset, p.bytes.byteLength);
  const rows = new Array(p.count);
  let at = 0;
  for (let r = 0; r < p.count; r++) {
    const row = new Array(p.types.length);
    for (let c = 0; c < p.types.length; c++) {
      if (p.types.charCodeAt(c) === 115) {
        const n = buf.readUInt32LE(at);
        row[c] = buf.toString('utf8', at + 4, at + 4 + n);
        at += 4 + n;
      } else {
        row[c] = buf.readDoubleLE(at);
        at += 8;
      }
    }
    rows[r] = row;
  }
  return rows;
};
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function handle(m) {
  if (m.type === 'stop') {
    clearInterval(timer);
    db.close();
    parentPort.close();
    return;
  }
  try {
    let stmt = statements.get(m.sql);
    if (!stmt) statements.set(m.sql, (stmt = db.prepare(m.sql)));
    const json = m.json;
    const all = m.packed ? unpack(m.packed) : m.rows;
    const insert = db.transaction((rows, from, to) => {
      for (let i = from; i < to; i++) {
        const row = rows[i];
        for (let k = 0; k < json.length; k++) row[json[k]] = JSON.stringify(row[json[k]]);
        stmt.run(row);
      }
    });
    for (let from = 0; from < all.length; from += workerData.rowsPerTransaction) {
      // Between transactions the write lock is free for a moment: the serving connection's busy
      // handler retries after 1, 3, 8… ms, so back-to-back transactions could keep it waiting.
      if (from > 0) await pause(workerData.pauseMs);
      insert.immediate(all, from, Math.min(all.length, from + workerData.rowsPerTransaction));
    }
    parentPort.postMessage({ id: m.id });
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: plain(e) });
  }
}
// One message at a time, in order: a stop runs after every write sent before it.
let queue = Promise.resolve();
parentPort.on('message', (m) => {
  queue = queue.then(() => handle(m));
});
`;

export interface SqliteThread {
  /**
   * Runs `sql` once per row of parameters on the thread's connection, in transactions of
   * ROWS_PER_TRANSACTION rows: not atomic as a whole, so a failure may leave the first transactions
   * committed (make the statement idempotent, e.g. INSERT OR IGNORE, and retry all of it).
   * Failures reject with an SqlError.
   */
  runMany(sql: string, rows: unknown[][] | PackedRows, jsonColumns?: readonly number[]): Promise<void>;
  /** Stops the thread (after the work in progress) and closes its connection. */
  stop(): Promise<void>;
}

/**
 * Starts the thread on `file` (an existing SQLite database in WAL mode). `onFailure` hears of a
 * thread that died, so the caller can go back to checkpointing and writing on its own connection;
 * requests in flight then reject.
 */
export function startSqliteThread(
  file: string,
  onFailure: (error: Error) => void,
  intervalMs = CHECKPOINT_INTERVAL_MS,
): SqliteThread {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(THREAD_SOURCE, {
    eval: true,
    workerData: {
      driver,
      file,
      intervalMs,
      busyTimeoutMs: BUSY_TIMEOUT_MS,
      rowsPerTransaction: ROWS_PER_TRANSACTION,
      pauseMs: PAUSE_MS,
      nice: THREAD_NICE,
    },
  });
  const pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let dead: Error | null = null;
  let stopping = false;
  const fail = (e: Error) => {
    if (dead) return;
    dead = e;
    for (const p of pending.values()) p.reject(new SqlError('SQLITE_ERROR', `the SQLite thread stopped: ${e.message}`));
    pending.clear();
    if (!stopping) onFailure(e);
  };
  worker.on('message', (m: { id: number; error?: { message: string; code: string } }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (pending.size === 0 && !stopping) worker.unref();
    if (m.error) p.reject(new SqlError(m.error.code, m.error.message));
    else p.resolve();
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`exited with code ${code}`)));
  // Idle, the thread does not keep the process alive; while a write or the stop is in flight it
  // does: unref'd throughout, a process whose last work was a flush or this close (a CLI shutting
  // down on SIGTERM) exited with it unfinished, the rows unwritten.
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    runMany(sql, rows, jsonColumns = []) {
      if (dead) return Promise.reject(new SqlError('SQLITE_ERROR', `the SQLite thread stopped: ${dead.message}`));
      const packed = Array.isArray(rows) ? null : rows;
      if ((packed ? packed.count : (rows as unknown[][]).length) === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const id = nextId++;
        if (pending.size === 0) worker.ref();
        pending.set(id, { resolve, reject });
        // Structured clone copies the rows (numbers as they are, no formatting; packed rows as one
        // block of bytes, kept here for a retry): the thread writes JSON columns as text.
        worker.postMessage(
          packed
            ? { type: 'run', id, sql, packed, json: jsonColumns }
            : { type: 'run', id, sql, rows, json: jsonColumns },
        );
      });
    },
    async stop() {
      stopping = true;
      worker.ref();
      if (!dead) worker.postMessage({ type: 'stop' });
      await exited;
    },
  };
}
