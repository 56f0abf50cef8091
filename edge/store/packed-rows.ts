/**
 * Rows of SQL parameters packed into one byte buffer, for a write queue that waits a while before
 * another thread writes it (the prediction log on Node). As JS arrays of strings, every buffered row
 * outlived a young-generation collection or two, and V8 spent its scavenges copying and promoting
 * them (bench/edge: ~1 KB promoted per request, most of the scavenge time); bytes sit outside the
 * JS heap, cost the collector nothing, and cross to a worker as one copy. Web-standard (TextEncoder),
 * so every runtime's row sink (edge/store/row-sink.ts) takes the same blocks.
 *
 * Layout, per row and per column in the order of `types`: `s` (text) a uint32 byte length then the
 * UTF-8 bytes, `n` (number) a float64. Little-endian. edge/store/sqlite-thread.ts decodes the same
 * layout on its side; `unpackRows` is the reference.
 */
import type { SqlValue } from './sql';

export interface PackedRows {
  /** One letter per column: `s` text, `n` number. */
  types: string;
  count: number;
  bytes: Uint8Array;
}

const INITIAL_BYTES = 64 * 1024;

/** Appends rows to a growing buffer; `take()` hands over what is there and starts afresh. */
export class RowPacker {
  private bytes = new Uint8Array(INITIAL_BYTES);
  private view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
  private length = 0;
  private rows = 0;

  constructor(readonly types: string) {
    if (!/^[sn]+$/.test(types)) throw new Error(`packed row types must be letters s and n, got "${types}"`);
  }

  get count(): number {
    return this.rows;
  }

  /** One row: a string for each `s` column, a number for each `n`. */
  push(row: readonly (string | number)[]): void {
    for (let c = 0; c < this.types.length; c++) {
      const value = row[c];
      if (this.types.charCodeAt(c) === 0x73 /* s */) {
        const text = value as string;
        // UTF-8 takes at most 3 bytes per UTF-16 unit.
        this.reserve(4 + text.length * 3);
        const { written } = utf8Encoder.encodeInto(text, this.bytes.subarray(this.length + 4));
        this.view.setUint32(this.length, written, true);
        this.length += 4 + written;
      } else {
        this.reserve(8);
        this.view.setFloat64(this.length, value as number, true);
        this.length += 8;
      }
    }
    this.rows++;
  }

  /** The rows packed so far (null when none), leaving the packer empty. */
  take(): PackedRows | null {
    if (this.rows === 0) return null;
    const out = { types: this.types, count: this.rows, bytes: this.bytes.slice(0, this.length) };
    this.length = 0;
    this.rows = 0;
    return out;
  }

  private reserve(more: number): void {
    if (this.length + more <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + more) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
    this.view = new DataView(grown.buffer, grown.byteOffset, grown.byteLength);
  }
}

const utf8Encoder = new TextEncoder();
// ignoreBOM keeps a leading U+FEFF as text, as it was packed (by default the decoder drops it).
const utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** The rows back as arrays of parameters. */
export function unpackRows(packed: PackedRows): SqlValue[][] {
  const { bytes, types } = packed;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rows: SqlValue[][] = [];
  let at = 0;
  for (let r = 0; r < packed.count; r++) {
    const row: SqlValue[] = [];
    for (let c = 0; c < types.length; c++) {
      if (types[c] === 's') {
        const n = view.getUint32(at, true);
        row.push(utf8Decoder.decode(bytes.subarray(at + 4, at + 4 + n)));
        at += 4 + n;
      } else {
        row.push(view.getFloat64(at, true));
        at += 8;
      }
    }
    rows.push(row);
  }
  return rows;
}
