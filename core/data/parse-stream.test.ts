import { describe, expect, it } from 'vitest';
import { FlywheelError } from '../errors';
import { parseDelimited, type ByteSource } from './parse-delimited';
import { toRows } from './table';

/** A file in memory read as Node's readSync reads one, at most `chunk` bytes a call. */
function fileOf(text: string, chunk: number): ByteSource & { window: number } {
  const bytes = new TextEncoder().encode(text);
  return {
    size: bytes.length,
    /** The largest buffer the parser read into. */
    window: 0,
    read(into, offset, length, position) {
      this.window = Math.max(this.window, into.length);
      const n = Math.max(0, Math.min(length, chunk, bytes.length - position));
      into.set(bytes.subarray(position, position + n), offset);
      return n;
    },
  };
}

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(FlywheelError);
    return (e as Error).message;
  }
  throw new Error('expected a FlywheelError');
}

/** Quoted fields with line breaks, CRLF, blank lines, a BOM, non-ASCII, missing values: every path of the reader. */
function awkward(rows: number, eol: string): string {
  const lines = ['\uFEFF\n\n id,name,score,note'];
  for (let i = 0; i < rows; i++) {
    const note = i % 97 === 0 ? `"line one\nline ""two"", ${i}"` : i % 13 === 0 ? 'naïve café' : `n${i % 5}`;
    lines.push(`${i},${i % 11 === 0 ? '' : `name ${i % 7}`},${(i * 0.37).toFixed(2)},${note}`);
    if (i % 1000 === 500) lines.push('   ');
  }
  return lines.join(eol) + eol;
}

describe('parseDelimited from a file read as it goes', () => {
  it.each([
    ['plain, LF', 'id,v,c\n' + Array.from({ length: 200_000 }, (_, i) => `${i},${i / 4},c${i % 9}`).join('\n')],
    ['quotes, CRLF, blank lines, a BOM', awkward(30_000, '\r\n')],
    ['quotes, LF', awkward(30_000, '\n')],
  ])('reads the same table as from bytes in memory: %s', (_, text) => {
    const whole = parseDelimited(text, 'f.csv');
    for (const chunk of [7, 65_536, 1 << 24]) {
      const file = fileOf(text, chunk);
      const read = parseDelimited(file, 'f.csv');
      expect(read.columns.map((c) => [c.name, c.kind])).toEqual(whole.columns.map((c) => [c.name, c.kind]));
      expect(toRows(read)).toEqual(toRows(whole));
    }
  });

  it('holds a window of the file, not all of it, and grows it for a line longer than the window', () => {
    // 5 fields of 0.9 MB on one line: 4.5 MB, over the 4 MiB window.
    const wide = Array.from({ length: 5 }, (_, i) => String.fromCharCode(97 + i).repeat(900_000)).join(',');
    const text = 'a,b,c,d,e\n' + Array.from({ length: 3 }, () => wide).join('\n') + '\n';
    const file = fileOf(text, 1 << 20);
    const table = parseDelimited(file, 'wide.csv');
    expect(table.rowCount).toBe(3);
    expect(file.window).toBeGreaterThan(4 << 20);
    expect(file.window).toBeLessThan(file.size);
    expect(toRows(table)[2].e).toBe('e'.repeat(900_000));
  });

  it('names the same lines in its errors, and progress reaches 1', () => {
    const ragged = 'a,b\n' + Array.from({ length: 100_000 }, (_, i) => (i === 99_000 ? '7' : `${i},${i}`)).join('\n');
    expect(messageOf(() => parseDelimited(fileOf(ragged, 4096), 'r.csv'))).toBe(
      messageOf(() => parseDelimited(ragged, 'r.csv')),
    );
    expect(messageOf(() => parseDelimited(fileOf(' \n\n', 3), 'blank.csv'))).toBe('blank.csv is empty');
    expect(messageOf(() => parseDelimited(fileOf('', 3), 'empty.csv'))).toBe('empty.csv is empty');
    const seen: number[] = [];
    parseDelimited(fileOf(ragged.replace('\n7\n', '\n7,7\n'), 4096), 'p.csv', { onProgress: (f) => seen.push(f) });
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toBe(1);
  });
});
