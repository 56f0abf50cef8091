/**
 * WAL checkpoints on a background thread. SQLite's default copies the write-ahead log back into the
 * database file from inside whichever commit pushes the log past 1,000 pages, synchronously: on the
 * Node edge that was a prediction-log write holding the only JavaScript thread for 12–18 ms, and
 * every request that arrived meanwhile waited for it (bench/edge's p99). So the serving connection
 * turns automatic checkpoints off, and a worker thread with a connection of its own checkpoints
 * PASSIVE-ly (never blocking readers or the writer) every CHECKPOINT_INTERVAL_MS.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the log is copied back: at most a second of writes accumulates in the WAL. */
export const CHECKPOINT_INTERVAL_MS = 1000;

/**
 * The thread's whole program, evaluated as CommonJS: it must not depend on the TypeScript loader the
 * main thread runs under (a worker thread does not inherit `tsx`'s in-process registration).
 */
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
// better-sqlite3's errors lose their message on the way to the main thread; plain Errors keep it.
const plain = (e) => new Error(e && e.message ? e.message : String(e));
let db;
try {
  db = new Database(workerData.file, { fileMustExist: true });
  // A checkpoint that finds the database busy does what it can and is retried next time: never wait.
  db.pragma('busy_timeout = 0');
} catch (e) {
  throw plain(e);
}
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (e) {
    if (e.code !== 'SQLITE_BUSY' && e.code !== 'SQLITE_LOCKED') throw plain(e);
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Stops the thread (after the checkpoint in progress, if any) and closes its connection. */
  stop(): Promise<void>;
}

/**
 * Starts checkpointing `file` (an existing SQLite database in WAL mode) in a worker thread.
 * `onFailure` hears of a thread that died, so the caller can fall back to automatic checkpoints.
 */
export function startCheckpointer(file: string, onFailure: (error: Error) => void, intervalMs = CHECKPOINT_INTERVAL_MS): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { driver, file, intervalMs } });
  let stopping = false;
  worker.on('error', (e) => {
    if (!stopping) onFailure(e);
  });
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      stopping = true;
      worker.postMessage('stop');
      await exited;
    },
  };
}
