import { dsvFormat } from 'd3-dsv';
import { FlywheelError } from '../errors';
import { TableAssembler } from './table-from-cells';
import type { Table } from './table';

/**
 * Bytes decoded and parsed at a time: large enough to amortise the calls, small enough that the text
 * of a whole file never exists at once (the bytes and the columns are what a file costs) and that
 * progress moves steadily.
 */
const PIECE_BYTES = 1 << 20;
/** A single field this long is a broken file (a missing quote swallowing the rest), not data. */
export const MAX_FIELD_CHARS = 1 << 20;
/** Delimiters tried when none is given, in order of preference on a tie. */
const DELIMITERS = [',', '\t', ';', '|'];
/** Bytes of the head looked at to choose the delimiter. */
const SNIFF_BYTES = 1 << 16;
/** Lines of the head looked at to choose the delimiter. */
const SNIFF_LINES = 10;

const NEWLINE = 10;
const QUOTE = 34;

export interface ParseOptions {
  /** Field delimiter; auto-detected when omitted. */
  delimiter?: string;
  onProgress?: (fraction: number, rows: number) => void;
}

/**
 * Parses CSV/TSV (UTF-8 bytes, or text) into a Table with d3-dsv, a piece at a time, reporting
 * progress. Pieces end at a line break outside quotes, so a quoted field may hold line breaks. Errors
 * name the source and the line: an empty file, a header without rows, a ragged row, an oversized field.
 */
export function parseDelimited(input: Uint8Array | string, source: string, options: ParseOptions = {}): Table {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  let start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (start < bytes.length && bytes[start] <= 32) start++;
  if (start === bytes.length) throw new FlywheelError('bad_data', `${source} is empty`, [{ path: source, message: 'empty file' }]);
  const decoder = new TextDecoder('utf-8');
  const format = dsvFormat(options.delimiter ?? sniffDelimiter(decoder.decode(bytes.subarray(start, start + SNIFF_BYTES))));
  const quoted = bytes.indexOf(QUOTE, start) >= 0;

  let assembler: TableAssembler | null = null;
  let dataRow = 0;
  const onRow = (row: string[]): null => {
    if (isBlank(row)) return null;
    if (!assembler) {
      assembler = new TableAssembler(source, row, countLines(bytes, start) - 1);
      return null;
    }
    dataRow++;
    checkRow(row, assembler.width, source, dataRow);
    assembler.pushTexts(row);
    return null;
  };
  for (let from = start; from < bytes.length; ) {
    const to = pieceEnd(bytes, from, quoted);
    format.parseRows(decoder.decode(bytes.subarray(from, to)), onRow);
    from = to;
    options.onProgress?.(to / bytes.length, dataRow);
  }
  if (!assembler) throw new FlywheelError('bad_data', `${source} is empty`, [{ path: source, message: 'empty file' }]);
  return (assembler as TableAssembler).build();
}

/** Where the piece that starts at `from` ends: just after the first line break outside quotes past PIECE_BYTES. */
function pieceEnd(bytes: Uint8Array, from: number, quoted: boolean): number {
  let cut = Math.min(bytes.length, from + PIECE_BYTES);
  // A line break is outside quotes when the quotes before it (in this piece) are even: `""` escapes one.
  let quotes = quoted ? countQuotes(bytes, from, cut) : 0;
  while (cut < bytes.length) {
    const nl = bytes.indexOf(NEWLINE, cut);
    if (nl < 0) return bytes.length;
    if (quoted) quotes += countQuotes(bytes, cut, nl);
    if (quotes % 2 === 0) return nl + 1;
    cut = nl + 1;
  }
  return bytes.length;
}

/** Line breaks after `from`, plus one for a last line without one: the rows, but for blank lines and quoted breaks. */
function countLines(bytes: Uint8Array, from: number): number {
  let n = 0;
  for (let i = from; i < bytes.length; i++) if (bytes[i] === NEWLINE) n++;
  return bytes[bytes.length - 1] === NEWLINE ? n : n + 1;
}

function countQuotes(bytes: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (bytes[i] === QUOTE) n++;
  return n;
}

/** The delimiter that splits the first lines into the same number of fields, the most fields winning. */
function sniffDelimiter(head: string): string {
  let best = DELIMITERS[0];
  let bestFields = 1;
  for (const delimiter of DELIMITERS) {
    const rows: string[][] = [];
    dsvFormat(delimiter).parseRows(head, (row) => {
      if (rows.length < SNIFF_LINES && !isBlank(row)) rows.push(row);
      return null;
    });
    // The head may end mid-line: leave its last row out when there are others.
    const whole = rows.length > 1 ? rows.slice(0, -1) : rows;
    const fields = whole[0]?.length ?? 0;
    if (fields > bestFields && whole.every((r) => r.length === fields)) {
      best = delimiter;
      bestFields = fields;
    }
  }
  return best;
}

/** A line with nothing but whitespace, skipped as papaparse's `skipEmptyLines: 'greedy'` did. */
function isBlank(row: string[]): boolean {
  for (const field of row) if (field.trim() !== '') return false;
  return true;
}

function checkRow(row: string[], width: number, source: string, dataRow: number): void {
  // Line numbers assume one line per row (true unless a quoted field holds a newline).
  const line = dataRow + 1;
  if (row.length !== width) {
    throw new FlywheelError('bad_data', `${source}:${line}: row ${dataRow} has ${row.length} fields, the header has ${width}`, [{ path: `${source}:${line}`, message: `expected ${width} fields, found ${row.length}` }]);
  }
  for (let i = 0; i < row.length; i++) {
    if (row[i].length > MAX_FIELD_CHARS) {
      throw new FlywheelError('bad_data', `${source}:${line}: field ${i + 1} is ${row[i].length.toLocaleString('en-US')} characters long (limit ${MAX_FIELD_CHARS.toLocaleString('en-US')}); is a quote left open?`, [{ path: `${source}:${line}`, message: 'field too long' }]);
    }
  }
}
