import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { PLAIN_MEMORY, type ColumnMemory } from '../core/data/column-builder';

/**
 * Column memory that a second thread writes ahead of the reader. A column's first write to each
 * page of fresh memory is a page fault, and on a virtual machine one costs ~12 µs (bench/profile:
 * a 1M-row, 10-column CSV faults in ~70 MB, ~0.2 s of its ~0.55 s parse). The faults of one process
 * are served in parallel on its threads, so a thread that writes each page first takes them off the
 * reader's path, on a core that `flywheel profile` otherwise leaves idle.
 */

/** Columns smaller than this are written by the reader itself: the thread takes ~50 ms to start. */
const MIN_SHARED_BYTES = 1 << 22;
/** Bytes written in one step of the thread, before it looks at the next column. */
const STEP_BYTES = 1 << 16;
/**
 * Rows the thread writes ahead of those read. Columns are sized by an estimate of the file's rows,
 * which can be far over (short lines first, long ones after): writing all of it made such a file's
 * peak memory grow with the estimate (523 MB where the columns held 12), so the thread keeps pace
 * with the rows actually read.
 */
const AHEAD_ROWS = 1 << 18;

/**
 * The thread: it takes each SharedArrayBuffer it is sent and writes one word of every page up to
 * AHEAD_ROWS past the rows read (`rows[0]`, set by the reader), always advancing the buffer it has
 * written the smallest share of that far (the reader fills every column at the same pace), and waits
 * on `rows` when it is ahead. compareExchange(0 → 0) changes nothing: a word the reader wrote is kept.
 */
const WRITER = `
const { parentPort, receiveMessageOnPort, workerData } = require('node:worker_threads');
const PAGE = 4096;
const rows = new Int32Array(workerData);
const held = [];
const take = (m) => held.push({ words: new Int32Array(m.buffer), bytesPerRow: m.bytesPerRow, done: 0 });
function run() {
  for (;;) {
    for (let m = receiveMessageOnPort(parentPort); m; m = receiveMessageOnPort(parentPort)) take(m.message);
    if (!held.length) return;
    const read = Atomics.load(rows, 0);
    let next = null;
    let nextShare = Infinity;
    for (const h of held) {
      const target = Math.min(h.words.byteLength, (read + ${AHEAD_ROWS}) * h.bytesPerRow);
      const share = h.done / target;
      if (h.done < target && share < nextShare) [next, nextShare] = [h, share];
    }
    if (!next) {
      // Ahead of the reader: wait for more rows (or a new buffer, looked for at least every 20 ms).
      Atomics.wait(rows, 0, read, 20);
      continue;
    }
    const end = Math.min(next.words.byteLength, (read + ${AHEAD_ROWS}) * next.bytesPerRow, next.done + ${STEP_BYTES});
    for (let b = next.done; b < end; b += PAGE) Atomics.compareExchange(next.words, b >> 2, 0, 0);
    next.done = end;
    // Let go of a finished buffer: a column that grew leaves its old memory to the garbage collector.
    if (end === next.words.byteLength) held.splice(held.indexOf(next), 1);
  }
}
parentPort.on('message', (m) => { take(m); run(); });
`;

/** Column memory for one read; `close` ends its thread (a table built on it needs no thread afterwards). */
export interface PrefaultedMemory extends ColumnMemory {
  close(): void;
}

/** Plain memory on a machine with one core, where the thread would only compete with the reader. */
export function prefaultedMemory(): PrefaultedMemory {
  if (availableParallelism() < 2) return { ...PLAIN_MEMORY, close: () => {} };
  let writer: Worker | null = null;
  // Set when no thread can be started (Node's permission model without --allow-worker): plain memory then.
  let refused = false;
  const rows = new Int32Array(new SharedArrayBuffer(4));
  const buffer = (bytes: number, bytesPerRow: number): ArrayBufferLike => {
    if (bytes < MIN_SHARED_BYTES || refused) return new ArrayBuffer(bytes);
    if (!writer) {
      try {
        writer = new Worker(WRITER, { eval: true, workerData: rows.buffer });
      } catch {
        refused = true;
        return new ArrayBuffer(bytes);
      }
      // Never what keeps the process alive, nor what fails it.
      writer.unref();
      writer.on('error', () => {});
    }
    const shared = new SharedArrayBuffer(bytes);
    writer.postMessage({ buffer: shared, bytesPerRow });
    return shared;
  };
  return {
    float64: (length) => new Float64Array(buffer(length * 8, 8)),
    int32: (length) => new Int32Array(buffer(length * 4, 4)),
    rowsRead: (n) => {
      Atomics.store(rows, 0, Math.min(n, 0x7fffffff));
      Atomics.notify(rows, 0);
    },
    close: () => void writer?.terminate(),
  };
}
