import { dsvFormat } from 'd3-dsv';
import { FlywheelError } from '../errors';
import type { ColumnMemory } from './column-builder';
import { FieldTexts } from './field-texts';
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
/** Headroom on the estimated row count: lines vary in length. */
const ROW_ESTIMATE_SLACK = 1.02;
/** Lines of the head looked at to choose the delimiter. */
const SNIFF_LINES = 10;

const NEWLINE = 10;
const RETURN = 13;
const QUOTE = 34;
/** Powers of ten that are exact doubles: an exact integer divided by one is correctly rounded (Clinger's fast path). */
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
/** Decimal digits read as an integer below this are exact, and one division by a power of ten then rounds correctly. */
const MAX_EXACT_MANTISSA = 2 ** 53;

export interface ParseOptions {
  /** Field delimiter; auto-detected when omitted. */
  delimiter?: string;
  onProgress?: (fraction: number, rows: number) => void;
  /** Where the columns get their memory (plain typed arrays when omitted). */
  memory?: ColumnMemory;
}

/**
 * A file read a range at a time (Node's `fs.readSync` on an open file): the parser then holds a few
 * pieces of it, never the whole file, and touches no fresh memory for it.
 */
export interface ByteSource {
  /** The file's size in bytes. */
  readonly size: number;
  /** Reads up to `length` bytes at `position` of the file into `into` at `offset`; the bytes read (0 at the end). */
  read(into: Uint8Array, offset: number, length: number, position: number): number;
}

/**
 * Parses CSV/TSV (UTF-8 bytes, text, or a file read as it goes) into a Table with d3-dsv, a piece at
 * a time, reporting progress. Pieces end at a line break outside quotes, so a quoted field may hold
 * line breaks. Errors name the source and the line: an empty file, a header without rows, a ragged
 * row, an oversized field.
 */
export function parseDelimited(
  input: Uint8Array | string | ByteSource,
  source: string,
  options: ParseOptions = {},
): Table {
  const win = new ByteWindow(typeof input === 'string' ? new TextEncoder().encode(input) : input);
  let start = win.fill(0, SNIFF_BYTES);
  const head = win.bytes;
  if (head[start] === 0xef && head[start + 1] === 0xbb && head[start + 2] === 0xbf) start += 3;
  // Where the parser is: the data rows so far and the file's line the next row starts on.
  const at: Position = { row: 0, line: 1 };
  for (;;) {
    for (; start < win.length && win.bytes[start] <= 32; start++)
      if (isLineBreak(win.bytes, start, win.length)) at.line++;
    if (start < win.length || win.ended) break;
    start = win.more(start);
  }
  if (start >= win.length)
    throw new FlywheelError('bad_data', `${source} is empty`, [{ path: source, message: 'empty file' }]);
  start = win.fill(start, SNIFF_BYTES);
  const decoder = new TextDecoder('utf-8');
  const delimiter =
    options.delimiter ??
    sniffDelimiter(decoder.decode(win.bytes.subarray(start, Math.min(win.length, start + SNIFF_BYTES))));
  const format = dsvFormat(delimiter);
  const delimiterCode = delimiter.charCodeAt(0);
  // Without quotes or carriage returns a line is its fields split at the delimiter byte, which the
  // plain reader below does without d3-dsv's strings and arrays for every number. Judged on the bytes
  // read so far (all of them for bytes in memory): a piece is read plainly while none was seen.
  const delimiterByte = delimiter.length === 1 && delimiterCode < 128 ? delimiterCode : -1;

  let assembler: TableAssembler | null = null;
  let rowsLeft = 0;
  // The text d3-dsv is parsing and the rows it gave so far: a bad row's line is counted from them.
  let pieceText = '';
  let pieceRows = 0;
  const onRow = (row: string[]): null => {
    const index = pieceRows++;
    if (isBlank(row)) return null;
    if (!assembler) {
      assembler = new TableAssembler(source, row, rowsLeft, options.memory);
      return null;
    }
    at.row++;
    if (isBadRow(row, assembler.width))
      checkRow(row, assembler.width, source, at.row, at.line + linesBefore(pieceText, index, delimiterCode));
    assembler.pushTexts(row);
    return null;
  };
  /** Rows of `text` through d3-dsv; the file's line then moves past every line break in it. */
  const parseRows = (text: string): void => {
    pieceText = text;
    pieceRows = 0;
    format.parseRows(text, onRow);
    at.line += lineBreaks(text, text.length);
  };
  let texts: FieldTexts[] | null = null;
  for (let from = start; ;) {
    from = win.fill(from, PIECE_BYTES);
    if (from >= win.length) break;
    const to = pieceEnd(win, from, delimiterByte);
    from = win.pieceStart;
    const plain = delimiterByte >= 0 && !win.sawQuote && !win.sawReturn;
    if (!assembler) {
      rowsLeft = estimateRows(win, from);
      if (plain) {
        // The header alone through d3-dsv (a line at a time, blank ones skipped); the rows after it plainly.
        while (!assembler && from < to) {
          let nl = win.bytes.indexOf(NEWLINE, from);
          if (nl < 0 || nl > to) nl = to;
          // One line is one row here; an empty line gives d3-dsv no row to count.
          parseRows(decoder.decode(win.bytes.subarray(from, nl)));
          at.line++;
          from = nl + 1;
        }
      } else {
        parseRows(decoder.decode(win.bytes.subarray(from, to)));
        from = to;
      }
    }
    // Set by onRow at the header (TypeScript does not see assignments in callbacks).
    const header = assembler as TableAssembler | null;
    if (header && from < to) {
      if (plain) {
        texts ??= header.columns.map(() => new FieldTexts());
        readPlainRows(win.bytes, from, to, decoder, delimiterByte, header, texts, source, at);
      } else parseRows(decoder.decode(win.bytes.subarray(from, to)));
    }
    options.onProgress?.(win.offsetOf(to) / win.size, at.row);
    options.memory?.rowsRead?.(at.row);
    from = to;
  }
  if (!assembler) throw new FlywheelError('bad_data', `${source} is empty`, [{ path: source, message: 'empty file' }]);
  return (assembler as TableAssembler).build();
}

/**
 * The bytes being parsed: all of them when they are in memory, else a window on the file that slides
 * forward (the parsed bytes dropped, the next read after the rest) and grows only for a piece longer
 * than it. Whether a quote or a carriage return was seen covers every byte read so far.
 */
class ByteWindow {
  bytes: Uint8Array;
  /** Bytes of `bytes` that hold data. */
  length: number;
  readonly size: number;
  ended: boolean;
  sawQuote = false;
  sawReturn = false;
  /** Where the last piece found by pieceEnd starts, after any slide. */
  pieceStart = 0;
  /** The file offset of bytes[0]. */
  private base = 0;
  private readonly file: ByteSource | null;

  constructor(input: Uint8Array | ByteSource) {
    if (input instanceof Uint8Array) {
      this.file = null;
      this.bytes = input;
      this.length = input.length;
      this.size = input.length;
      this.ended = true;
      this.seen(0, input.length);
    } else {
      this.file = input;
      this.size = input.size;
      this.bytes = new Uint8Array(Math.min(input.size, 4 * PIECE_BYTES));
      this.length = 0;
      this.ended = input.size === 0;
    }
  }

  offsetOf(i: number): number {
    return this.base + i;
  }

  /** Makes `want` bytes from `from` present, or every byte left; returns where `from` now is. */
  fill(from: number, want: number): number {
    while (!this.ended && this.length - from < want) from = this.more(from);
    return from;
  }

  /** Reads more of the file after what is held (dropping what is before `from`); returns where `from` now is. */
  more(from: number): number {
    const file = this.file;
    if (!file || this.ended) return from;
    if (from > 0) {
      this.bytes.copyWithin(0, from, this.length);
      this.length -= from;
      this.base += from;
    }
    if (this.length === this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    const n = file.read(this.bytes, this.length, this.bytes.length - this.length, this.base + this.length);
    this.seen(this.length, this.length + n);
    this.length += n;
    if (n === 0 || this.base + this.length >= this.size) this.ended = true;
    return 0;
  }

  private seen(from: number, to: number): void {
    const fresh = this.bytes.subarray(from, to);
    this.sawQuote ||= fresh.indexOf(QUOTE) >= 0;
    this.sawReturn ||= fresh.indexOf(RETURN) >= 0;
  }
}

/**
 * Rows of a piece without quotes or carriage returns, read from the bytes in one pass: a field of a
 * numeric column is read as a number while it is scanned for its end (plain decimals whose digits
 * make an integer below 2^53, which Clinger's fast path rounds correctly); any other field becomes text (remembered per column by its
 * bytes, else cut from the piece's text, decoded only when needed) and goes the way d3-dsv's strings
 * go. UTF-8 sequences never hold a delimiter or line-break byte, so fields cut from the bytes are
 * d3-dsv's fields. Same rows, blank lines, errors and line numbers as the d3-dsv path.
 */
function readPlainRows(
  bytes: Uint8Array,
  from: number,
  to: number,
  decoder: TextDecoder,
  delimiter: number,
  assembler: TableAssembler,
  texts: FieldTexts[],
  source: string,
  at: Position,
): void {
  const columns = assembler.columns;
  let dataRow = at.row;
  let line = at.line - 1;
  const width = columns.length;
  let pieceText: string | null = null;
  // Byte offsets are character offsets only in ASCII text (UTF-8 sequences decode shorter).
  const read = (a: number, b: number): string => {
    pieceText ??= decoder.decode(bytes.subarray(from, to));
    return pieceText.length === to - from ? pieceText.slice(a - from, b - from) : decoder.decode(bytes.subarray(a, b));
  };
  for (let i = from; i < to;) {
    line++;
    // A line that starts with printable ASCII other than the delimiter is not blank.
    const first = bytes[i];
    if (first <= 32 || first === delimiter || first >= 0x80) {
      let end = bytes.indexOf(NEWLINE, i);
      if (end < 0 || end > to) end = to;
      if (isBlankLine(bytes, i, end, delimiter, decoder)) {
        i = end + 1;
        continue;
      }
    }
    dataRow++;
    let col = 0;
    let j = i;
    for (;;) {
      const fieldStart = j;
      // A plain decimal read as it is scanned (sign, digits, one point; no exponent); NaN for anything else.
      let number = NaN;
      if (col < width && columns[col].numeric) {
        const sign = j < to ? bytes[j] : NEWLINE;
        const negative = sign === 45;
        if (negative || sign === 43) j++;
        const digitsFrom = j;
        let mantissa = 0;
        // Where the decimal point is (-1: none yet); a second one makes the field text.
        let point = -1;
        let plain = true;
        for (; j < to; j++) {
          const c = bytes[j];
          if (c === delimiter || c === NEWLINE) break;
          const d = c - 48;
          if (d >= 0 && d <= 9) mantissa = mantissa * 10 + d;
          else if (c === 46 && point < 0) point = j;
          else {
            plain = false;
            j = scanField(bytes, j, to, delimiter);
            break;
          }
        }
        const scale = point < 0 ? 0 : j - point - 1;
        const digits = j - digitsFrom - (point < 0 ? 0 : 1);
        // Partial sums below 2^53 are exact integers; one that reaches 2^53 never comes back under it.
        if (plain && digits > 0 && mantissa < MAX_EXACT_MANTISSA && scale < POW10.length) {
          const v = scale ? mantissa / POW10[scale] : mantissa;
          number = negative ? -v : v;
        }
      } else j = scanField(bytes, j, to, delimiter);
      const b = j < to ? bytes[j] : NEWLINE;
      if (col < width) {
        // An oversized field is an error even where it reads as a number (a million leading zeros).
        if (j - fieldStart > MAX_FIELD_CHARS) checkRow([read(fieldStart, j)], 1, source, dataRow, line, col);
        if (number === number) columns[col].pushNumber(number);
        else columns[col].pushText(texts[col].text(bytes, fieldStart, j, read));
      }
      col++;
      if (b === NEWLINE) break;
      j++;
    }
    if (col !== width) checkRow(new Array<string>(col).fill(''), width, source, dataRow, line);
    assembler.endRow();
    i = j + 1;
  }
  at.row = dataRow;
  at.line = line + 1;
}

/** Where the field that starts at `from` ends: the next delimiter or line break, or `to`. */
function scanField(bytes: Uint8Array, from: number, to: number, delimiter: number): number {
  let j = from;
  while (j < to) {
    const b = bytes[j];
    if (b === delimiter || b === NEWLINE) break;
    j++;
  }
  return j;
}

/** ASCII whitespace as `String.prototype.trim` removes it (tab, line feed, vertical tab, form feed, carriage return, space). */
function isSpace(b: number): boolean {
  return b === 32 || (b >= 9 && b <= 13);
}

function isBlankLine(bytes: Uint8Array, from: number, to: number, delimiter: number, decoder: TextDecoder): boolean {
  for (let i = from; i < to; i++) {
    if (isSpace(bytes[i]) || bytes[i] === delimiter) continue;
    // Non-ASCII may be whitespace that trim() removes (a no-break space): judge the line as d3-dsv's fields.
    if (bytes[i] >= 0x80)
      return isBlank(decoder.decode(bytes.subarray(from, to)).split(String.fromCharCode(delimiter)));
    return false;
  }
  return true;
}

/**
 * Where the piece that starts at `from` ends: just after the first line break outside quotes past
 * PIECE_BYTES (reading more of a file when the line goes on). The window may slide meanwhile:
 * `win.pieceStart` is where the piece starts afterwards. A quoted field that stays open for more than
 * MAX_FIELD_CHARS ends the piece at the next line break anyway: d3-dsv then reads it as the oversized
 * field it is (an error naming its line), instead of the rest of the file becoming one piece.
 */
function pieceEnd(win: ByteWindow, from: number, delimiter: number): number {
  let cut = Math.min(win.length, from + PIECE_BYTES);
  const quotes: QuoteState = { quoted: false, quoteSeen: false, fieldStart: true, openedAt: 0 };
  if (win.sawQuote) scanQuotes(win, from, cut, delimiter, quotes);
  for (;;) {
    const nl = win.bytes.subarray(0, win.length).indexOf(NEWLINE, cut);
    if (nl < 0) {
      if (win.ended) break;
      const moved = win.more(from);
      cut -= from - moved;
      from = moved;
      continue;
    }
    if (win.sawQuote) scanQuotes(win, cut, nl, delimiter, quotes);
    if (!quotes.quoted || quotes.quoteSeen || win.offsetOf(nl) - quotes.openedAt > MAX_FIELD_CHARS) {
      win.pieceStart = from;
      return nl + 1;
    }
    // The line break is inside a quoted field: part of it, as the scan goes on past it.
    scanQuotes(win, nl, nl + 1, delimiter, quotes);
    cut = nl + 1;
  }
  win.pieceStart = from;
  return win.length;
}

/** Where a scan of CSV bytes is: in a quoted field (its opening quote's file offset), after a quote in it, at a field's start. */
interface QuoteState {
  quoted: boolean;
  /** In a quoted field, the last byte was a quote: the field ends unless the next is one too (`""`). */
  quoteSeen: boolean;
  fieldStart: boolean;
  openedAt: number;
}

/**
 * Moves `state` over bytes [from, to) as d3-dsv reads them: a quote opens a quoted field only at a
 * field's start (after a delimiter or a line break); elsewhere it is an ordinary character, so one
 * stray `5"` does not turn the rest of the file into one field. With a delimiter that is not one byte,
 * every quote counts (a field's start cannot be told from the bytes).
 */
function scanQuotes(win: ByteWindow, from: number, to: number, delimiter: number, state: QuoteState): void {
  const bytes = win.bytes;
  let { quoted, quoteSeen, fieldStart } = state;
  for (let i = from; i < to; i++) {
    const c = bytes[i];
    if (quoted) {
      if (!quoteSeen) {
        if (c === QUOTE) quoteSeen = true;
        continue;
      }
      quoteSeen = false;
      if (c === QUOTE) continue;
      quoted = false;
    }
    if (c === QUOTE && (fieldStart || delimiter < 0)) {
      quoted = true;
      state.openedAt = win.offsetOf(i);
      continue;
    }
    fieldStart = c === delimiter || c === NEWLINE;
  }
  state.quoted = quoted;
  state.quoteSeen = quoteSeen;
  state.fieldStart = fieldStart;
}

/**
 * About how many rows follow the header, from the line length of the first piece (a little over,
 * so the columns rarely grow): sizing them once saves growing copies, and counting every line break
 * of a large file cost more than the copies it saved.
 */
function estimateRows(win: ByteWindow, from: number): number {
  const head = Math.min(win.length, from + PIECE_BYTES);
  let lines = 0;
  // indexOf, not a byte loop: this runs once, before the JIT has compiled anything (12 ms → 1 ms).
  const bytes = win.bytes.subarray(0, head);
  for (let i = bytes.indexOf(NEWLINE, from); i >= 0; i = bytes.indexOf(NEWLINE, i + 1)) lines++;
  if (win.ended && head === win.length) return lines + 1;
  return Math.ceil(((win.size - win.offsetOf(from)) / (head - from)) * lines * ROW_ESTIMATE_SLACK) + 1;
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

/** The data row (1-based) and the file's line (1-based, blank lines and quoted line breaks counted) it starts on. */
interface Position {
  row: number;
  line: number;
}

/** Whether the byte at `i` ends a line: a line feed, or a carriage return not followed by one. */
function isLineBreak(bytes: Uint8Array, i: number, length: number): boolean {
  return bytes[i] === NEWLINE || (bytes[i] === RETURN && (i + 1 >= length || bytes[i + 1] !== NEWLINE));
}

/** Line breaks (CRLF once, a lone CR too, as d3-dsv ends rows) in `text` before `end`. */
function lineBreaks(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) n++;
  for (let i = text.indexOf('\r'); i >= 0 && i < end; i = text.indexOf('\r', i + 1))
    if (text.charCodeAt(i + 1) !== NEWLINE) n++;
  return n;
}

/**
 * The line breaks in `text` before its row `index` (0-based, blank rows counted) starts, splitting
 * rows as d3-dsv does: a quote opens a quoted field only as a field's first character (`12" pipe` is
 * plain text), a quoted field runs to its closing quote (`""` escapes one) and swallows the character
 * after it, and a row ends at a line feed, a CRLF or a lone carriage return outside quoted fields.
 */
function linesBefore(text: string, index: number, delimiter: number): number {
  const n = text.length;
  let rows = 0;
  let i = 0;
  while (i < n && rows < index) {
    let c: number;
    if (text.charCodeAt(i) === QUOTE) {
      // To the closing quote (a doubled one is an escaped quote), then the character after it.
      i++;
      while (i < n && (text.charCodeAt(i) !== QUOTE || text.charCodeAt(i + 1) === QUOTE))
        i += text.charCodeAt(i) === QUOTE ? 2 : 1;
      i++;
      c = i < n ? text.charCodeAt(i++) : -1;
    } else {
      c = -1;
      while (i < n) {
        c = text.charCodeAt(i++);
        if (c === NEWLINE || c === RETURN || c === delimiter) break;
        c = -1;
      }
    }
    if (c === NEWLINE || c === RETURN) {
      if (c === RETURN && text.charCodeAt(i) === NEWLINE) i++;
      rows++;
    }
  }
  return rows === index ? lineBreaks(text, i) : 0;
}

function isBadRow(row: string[], width: number): boolean {
  if (row.length !== width) return true;
  for (let i = 0; i < row.length; i++) if (row[i].length > MAX_FIELD_CHARS) return true;
  return false;
}

function checkRow(row: string[], width: number, source: string, dataRow: number, line: number, firstField = 0): void {
  if (row.length !== width) {
    throw new FlywheelError(
      'bad_data',
      `${source}:${line}: row ${dataRow} has ${row.length} fields, the header has ${width}`,
      [{ path: `${source}:${line}`, message: `expected ${width} fields, found ${row.length}` }],
    );
  }
  for (let i = 0; i < row.length; i++) {
    if (row[i].length > MAX_FIELD_CHARS) {
      throw new FlywheelError(
        'bad_data',
        `${source}:${line}: field ${firstField + i + 1} is ${row[i].length.toLocaleString('en-US')} characters long (limit ${MAX_FIELD_CHARS.toLocaleString('en-US')}); is a quote left open?`,
        [{ path: `${source}:${line}`, message: 'field too long' }],
      );
    }
  }
}
