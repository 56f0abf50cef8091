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
 * The thread: it takes each SharedArrayBuffer it is sent and writes one word of every page, always
 * advancing the buffer it has written the smallest share of (the reader fills every column at the
 * same pace). compareExchange(0 → 0) changes nothing: a word the reader wrote already is kept.
 */
const WRITER = `
const { parentPort, receiveMessageOnPort } = require('node:worker_threads');
const PAGE = 4096;
const held = [];
const take = (buffer) => held.push({ words: new Int32Array(buffer), done: 0 });
function run() {
  for (;;) {
    for (let m = receiveMessageOnPort(parentPort); m; m = receiveMessageOnPort(parentPort)) take(m.message);
    let next = null;
    for (const h of held) if (!next || h.done / h.words.byteLength < next.done / next.words.byteLength) next = h;
    if (!next) return;
    const end = Math.min(next.words.byteLength, next.done + ${STEP_BYTES});
    for (let b = next.done; b < end; b += PAGE) Atomics.compareExchange(next.words, b >> 2, 0, 0);
    next.done = end;
    // Let go of a finished buffer: a column that grew leaves its old memory to the garbage collector.
    if (end === next.words.byteLength) held.splice(held.indexOf(next), 1);
  }
}
parentPort.on('message', (buffer) => { take(buffer); run(); });
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
  const buffer = (bytes: number): ArrayBufferLike => {
    if (bytes < MIN_SHARED_BYTES || refused) return new ArrayBuffer(bytes);
    if (!writer) {
      try {
        writer = new Worker(WRITER, { eval: true });
      } catch {
        refused = true;
        return new ArrayBuffer(bytes);
      }
      // Never what keeps the process alive, nor what fails it.
      writer.unref();
      writer.on('error', () => {});
    }
    const shared = new SharedArrayBuffer(bytes);
    writer.postMessage(shared);
    return shared;
  };
  return {
    float64: (length) => new Float64Array(buffer(length * 8)),
    int32: (length) => new Int32Array(buffer(length * 4)),
    close: () => void writer?.terminate(),
  };
}
