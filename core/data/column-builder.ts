import type { Cell, Column } from './table';
import { MISSING_CODE } from './table';

/** Strings that mean "no value", as pandas' default `na_values` (minus the ones that are real words). */
const MISSING_STRINGS = new Set([
  '',
  'NA',
  'N/A',
  'n/a',
  '#N/A',
  'NaN',
  'nan',
  '-NaN',
  'NULL',
  'null',
  'None',
  '?',
  '.',
]);

/** The longest of MISSING_STRINGS: longer text needs no lookup. */
const LONGEST_MISSING = Math.max(...[...MISSING_STRINGS].map((s) => s.length));

const INITIAL_CAPACITY = 1024;
/** Unused capacity (a share of the rows) a built column may keep rather than be copied. */
const VIEW_SLACK = 0.05;

/**
 * Where columns get their memory. The default is plain typed arrays; the CLI's may hand out shared
 * memory that another thread writes ahead of the reader (cli/prefault.ts), since on a virtual machine
 * the first write to each page of a fresh column costs more than reading the numbers into it. Tables
 * built on it stay in their thread: shared memory cannot be transferred.
 */
export interface ColumnMemory {
  float64(length: number): Float64Array;
  int32(length: number): Int32Array;
  /** Told by the reader how many rows it has read so far (columns are sized by an estimate, often over). */
  rowsRead?(rows: number): void;
}

export const PLAIN_MEMORY: ColumnMemory = {
  float64: (length) => new Float64Array(length),
  int32: (length) => new Int32Array(length),
};

/**
 * Accumulates one column cell by cell. It stays numeric (a Float64Array) while every present value
 * is a number or a numeric string, and switches to dictionary-encoded strings at the first value that
 * is not.
 */
export class ColumnBuilder {
  private numbers: Float64Array | null;
  private codes: Int32Array | null = null;
  private readonly dictionary: string[] = [];
  private readonly index = new Map<string, number>();
  length = 0;

  /** `expectedRows`, when the caller knows about how many rows come, saves growing and a final copy. */
  constructor(
    readonly name: string,
    expectedRows = INITIAL_CAPACITY,
    private readonly memory: ColumnMemory = PLAIN_MEMORY,
  ) {
    this.numbers = memory.float64(Math.max(1, expectedRows));
  }

  push(cell: Cell): void {
    if (typeof cell === 'string') {
      this.pushText(cell);
      return;
    }
    if (this.length === this.capacity()) this.grow();
    const row = this.length++;
    if (cell === null || cell === undefined || (typeof cell === 'number' && Number.isNaN(cell))) {
      this.pushMissing(row);
      return;
    }
    if (typeof cell === 'boolean') {
      if (this.numbers) this.switchToStrings();
      this.codes![row] = this.code(cell ? 'true' : 'false');
      return;
    }
    if (this.numbers) {
      this.numbers[row] = cell;
      return;
    }
    this.codes![row] = this.code(String(cell));
  }

  /** Whether the column is still numeric (every present value so far a number). */
  get numeric(): boolean {
    return this.numbers !== null;
  }

  /** A number read by the caller while the column is numeric (see `numeric`). */
  pushNumber(n: number): void {
    if (this.length === this.capacity()) this.grow();
    this.numbers![this.length++] = n;
  }

  /** A cell as text (every CSV cell): a number while the column is numeric, else a missing value or a category. */
  pushText(text: string): void {
    if (this.length === this.capacity()) this.grow();
    const row = this.length++;
    // Numbers first: most cells of most files are, and no missing-value word reads as a number.
    if (this.numbers) {
      const n = toNumber(text);
      if (n !== null) {
        this.numbers[row] = n;
        return;
      }
    }
    if (
      (text.length <= LONGEST_MISSING && MISSING_STRINGS.has(text)) ||
      (hasOuterSpace(text) && MISSING_STRINGS.has(text.trim()))
    ) {
      this.pushMissing(row);
      return;
    }
    if (this.numbers) this.switchToStrings();
    this.codes![row] = this.code(text);
  }

  build(): Column {
    // Within a few percent of the capacity (a row count estimated ahead) a view wastes less than a copy costs at its peak.
    const fits = this.capacity() - this.length <= this.length * VIEW_SLACK;
    if (this.numbers)
      return {
        kind: 'number',
        name: this.name,
        values: fits ? this.numbers.subarray(0, this.length) : this.numbers.slice(0, this.length),
      };
    return {
      kind: 'string',
      name: this.name,
      codes: fits ? this.codes!.subarray(0, this.length) : this.codes!.slice(0, this.length),
      dictionary: this.dictionary,
    };
  }

  private pushMissing(row: number): void {
    if (this.numbers) this.numbers[row] = NaN;
    else this.codes![row] = MISSING_CODE;
  }

  private capacity(): number {
    return (this.numbers ?? this.codes!).length;
  }

  private grow(): void {
    const size = this.capacity() * 2;
    if (this.numbers) {
      const next = this.memory.float64(size);
      next.set(this.numbers);
      this.numbers = next;
    } else {
      const next = this.memory.int32(size);
      next.set(this.codes!);
      this.codes = next;
    }
  }

  private code(value: string): number {
    let code = this.index.get(value);
    if (code === undefined) {
      code = this.dictionary.length;
      this.dictionary.push(value);
      this.index.set(value, code);
    }
    return code;
  }

  private switchToStrings(): void {
    // Earlier numbers become their shortest text ("007" becomes "7"), as pandas does for a column
    // that turns out mixed; keeping every cell's original text would double the memory of numeric columns.
    const numbers = this.numbers!;
    const codes = this.memory.int32(numbers.length);
    // The cell being pushed is at length-1 and is written by the caller.
    for (let i = 0; i < this.length - 1; i++) {
      const v = numbers[i];
      codes[i] = Number.isNaN(v) ? MISSING_CODE : this.code(String(v));
    }
    this.numbers = null;
    this.codes = codes;
  }
}

function hasOuterSpace(s: string): boolean {
  return s.length > 0 && (s.charCodeAt(0) <= 32 || s.charCodeAt(s.length - 1) <= 32);
}

/**
 * A number from text written as a plain decimal: no hex/binary/octal, no "Infinity", no thousands
 * separators. Called once per cell, so it screens with char codes and lets `Number` do the parsing.
 */
export function toNumber(text: string): number | null {
  const c0 = text.charCodeAt(0);
  // digits, '+', '-', '.', or leading whitespace (Number trims it)
  if (!((c0 >= 48 && c0 <= 57) || c0 === 43 || c0 === 45 || c0 === 46 || c0 <= 32)) return null;
  if (c0 <= 32 && text.trim() === '') return null;
  const n = Number(text);
  if (!Number.isFinite(n)) return null;
  if (text.length > 1) {
    const c1 = text.charCodeAt(1) | 32;
    // 0x…, 0b…, 0o… are numbers to JavaScript, not to a CSV reader.
    if (c0 === 48 && (c1 === 120 || c1 === 98 || c1 === 111)) return null;
    if (c0 <= 32 && /[xbo]/i.test(text)) return null;
  }
  return n;
}
