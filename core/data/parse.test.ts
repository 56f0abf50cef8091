import { dsvFormat } from 'd3-dsv';
import { describe, expect, it } from 'vitest';
import { FlywheelError } from '../errors';
import { parseDelimited, MAX_FIELD_CHARS } from './parse-delimited';
import { parseJsonRecords } from './parse-json';
import { decodeText } from './sources';
import { toRows, type Table } from './table';
import { TableAssembler, tableFromRecords } from './table-from-cells';

function errorOf(fn: () => unknown): FlywheelError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(FlywheelError);
    return e as FlywheelError;
  }
  throw new Error('expected a FlywheelError');
}

describe('parseDelimited', () => {
  it('builds numeric and dictionary columns, with missing values', () => {
    const t = parseDelimited('a,b,c\n1,x,2.5\n2,y,\n3,,NA\n', 'x.csv');
    expect(t.columns.map((c) => c.kind)).toEqual(['number', 'string', 'number']);
    expect(toRows(t)).toEqual([
      { a: 1, b: 'x', c: 2.5 },
      { a: 2, b: 'y', c: null },
      { a: 3, b: null, c: null },
    ]);
  });

  it('detects tabs and semicolons', () => {
    expect(parseDelimited('a\tb\n1\t2\n', 't.tsv').columns[1].name).toBe('b');
    expect(toRows(parseDelimited('a;b\n1;2\n', 's.csv'))).toEqual([{ a: 1, b: 2 }]);
  });

  it('reports progress up to 1', () => {
    const seen: number[] = [];
    // ~2.5 MB: more than one piece.
    const text = 'a,b,c\n' + Array.from({ length: 100_000 }, (_, i) => `${i},v${i % 7},${i / 8}`).join('\n');
    const t = parseDelimited(text, 'big.csv', { onProgress: (f) => seen.push(f) });
    expect(t.rowCount).toBe(100_000);
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toBe(1);
    expect([...seen].sort((x, y) => x - y)).toEqual(seen);
  });

  it('reads a quote inside an unquoted field as a character, in pieces as before', () => {
    // One stray `"` in the middle of a field: d3-dsv (and pandas) read it as text. It once counted as an
    // opening quote for where pieces end, so the rest of the file became one piece (a 624 MB file: a
    // string longer than V8 allows, "internal error").
    const rows = Array.from({ length: 200_000 }, (_, i) => `${i},${i === 2 ? '51"' : `v${i % 7}`},${i / 8}`);
    const text = 'a,b,c\n' + rows.join('\n') + '\n';
    const seen: number[] = [];
    const t = parseDelimited(text, 'stray.csv', { onProgress: (f) => seen.push(f) });
    expect(seen.length, 'pieces, each reporting progress').toBeGreaterThan(3);
    expect(t.rowCount).toBe(200_000);
    const b = t.columns[1];
    expect(b.kind === 'string' && b.dictionary[b.codes[2]]).toBe('51"');
    expect(b.kind === 'string' && b.dictionary[b.codes[3]]).toBe('v3');
    // A quote that opens a field and never closes is the oversized field it is, named at its line,
    // without reading the rest of the file as one piece.
    const open = 'a,b\n1,2\n3,"never closed\n' + Array.from({ length: 120_000 }, (_, i) => `${i},x${i}`).join('\n');
    const e = errorOf(() => parseDelimited(open, 'open.csv', { onProgress: (f) => seen.push(f) }));
    expect(e.message).toMatch(/^open\.csv:3: field 2 is [\d,]+ characters long/);
  });

  it('turns a column with text after numbers into strings, keeping every value', () => {
    const t = parseDelimited('id\n1\n2\nthree\n', 'm.csv');
    expect(t.columns[0].kind).toBe('string');
    expect(toRows(t).map((r) => r.id)).toEqual(['1', '2', 'three']);
  });

  it('refuses an empty file, naming it', () => {
    expect(errorOf(() => parseDelimited('', 'empty.csv')).message).toBe('empty.csv is empty');
    expect(errorOf(() => parseDelimited('  \n\n', 'blank.csv')).message).toBe('blank.csv is empty');
  });

  it('refuses a header without rows', () => {
    expect(errorOf(() => parseDelimited('a,b,c\n', 'h.csv')).message).toBe('h.csv has a header but no rows');
  });

  it('names the line of a ragged row', () => {
    const e = errorOf(() => parseDelimited('a,b\n1,2\n3\n4,5\n', 'r.csv'));
    expect(e.message).toBe('r.csv:3: row 2 has 1 fields, the header has 2');
    expect(e.details[0].path).toBe('r.csv:3');
  });

  it('names the file line, counting blank lines and line breaks inside quotes, on the plain and the quoted path', () => {
    // Plain (no quotes): a delimiter-only and an empty line before the header, a blank line between rows.
    const plain = ',,\n\na,b\n1,2\n\n3,4\n5\n';
    expect(errorOf(() => parseDelimited(plain, 'p.csv')).message).toBe('p.csv:7: row 3 has 1 fields, the header has 2');
    // Quoted, LF: a field spanning two lines, then a blank line.
    const quoted = 'a,b\n1,"two\nlines"\n\n3,4\n5\n';
    expect(errorOf(() => parseDelimited(quoted, 'q.csv')).message).toBe(
      'q.csv:6: row 3 has 1 fields, the header has 2',
    );
    // Quoted, CRLF: the break inside the field counts once, as the row ends do.
    const crlf = 'a,b\r\n\r\n1,"x\r\ny"\r\n3\r\n';
    expect(errorOf(() => parseDelimited(crlf, 'c.csv')).message).toBe('c.csv:5: row 2 has 1 fields, the header has 2');
    // A quote inside an unquoted field is text (d3-dsv opens a quoted field only at its start).
    const inches = 'size,price\n12" pipe,3\n"x\ny",4\n7\n';
    expect(errorOf(() => parseDelimited(inches, 'i.csv')).message).toBe(
      'i.csv:5: row 3 has 1 fields, the header has 2',
    );
    // Past the first 1 MiB piece, in both readers; the quoted one with a quoted line break in its second piece.
    const rows = Array.from({ length: 200_000 }, (_, i) => (i % 1000 === 0 ? `${i},7\n` : `${i},7`));
    expect(errorOf(() => parseDelimited(`a,b\n${rows.join('\n')}\n1,2,3\n`, 'far.csv')).message).toBe(
      'far.csv:200202: row 200001 has 3 fields, the header has 2',
    );
    rows[150_001] = '"one\ntwo",7';
    const quotedText = `a,b\n"q",1\n${rows.join('\n')}\n1,2,3\n`;
    expect(quotedText.length).toBeGreaterThan(1 << 20);
    expect(errorOf(() => parseDelimited(quotedText, 'farq.csv')).message).toBe(
      'farq.csv:200204: row 200002 has 3 fields, the header has 2',
    );
  });

  it('refuses an enormous field (an unclosed quote) with its line', () => {
    const huge = 'x'.repeat(MAX_FIELD_CHARS + 10);
    const e = errorOf(() => parseDelimited(`a,b\n1,2\n3,${huge}\n`, 'long.csv'));
    expect(e.message).toMatch(/^long\.csv:3: field 2 is 1,048,586 characters long/);
  });

  it('refuses an oversized number field and a control-character line as d3-dsv reads them', () => {
    // A million leading zeros are no number to accept.
    const zeros = `a,b\n1,1\n${'0'.repeat(MAX_FIELD_CHARS + 10)}5,2\n`;
    expect(errorOf(() => parseDelimited(zeros, 'z.csv')).message).toMatch(
      /^z\.csv:3: field 1 is 1,048,587 characters long/,
    );
    // trim() keeps \x01, so the line is a row of one field, not a blank line.
    expect(errorOf(() => parseDelimited('a,b\n1,2\n\x01\n3,4\n', 'c.csv')).message).toBe(
      'c.csv:3: row 2 has 1 fields, the header has 2',
    );
  });

  it('handles a 50 MB line without hanging', () => {
    const line = 'v'.repeat(50 * 1024 * 1024);
    const e = errorOf(() => parseDelimited(`a\n${line}\n`, 'fifty.csv'));
    expect(e.message).toMatch(/^fifty\.csv:2: field 1 is 52,428,800 characters long/);
  });

  it('refuses duplicate header names', () => {
    expect(errorOf(() => parseDelimited('a,b,a\n1,2,3\n', 'd.csv')).message).toMatch(/column "a" appears twice/);
  });
});

describe('parseJsonRecords', () => {
  it('reads an array of records with typed values', () => {
    const t = parseJsonRecords('[{"a":1,"b":"x","c":true},{"a":null,"b":"y"}]', 'r.json');
    expect(toRows(t)).toEqual([
      { a: 1, b: 'x', c: 'true' },
      { a: null, b: 'y', c: null },
    ]);
  });

  it('reads JSON lines', () => {
    expect(parseJsonRecords('{"a":1}\n\n{"a":2}\n', 'r.jsonl', true).rowCount).toBe(2);
  });

  it('names a syntax error and a wrong shape', () => {
    expect(errorOf(() => parseJsonRecords('[{"a":1},', 'bad.json')).message).toMatch(/^bad\.json is not valid JSON/);
    expect(errorOf(() => parseJsonRecords('{"a":1}', 'obj.json')).message).toMatch(/must hold a JSON array of records/);
    expect(errorOf(() => parseJsonRecords('[]', 'none.json')).message).toBe('none.json is empty: no rows');
    expect(errorOf(() => parseJsonRecords('[1,2]', 'nums.json')).message).toBe(
      'nums.json[0] is not an object of feature values',
    );
  });

  it('refuses nested values', () => {
    expect(errorOf(() => tableFromRecords([{ a: 1 }, { a: [1] as unknown as number }])).message).toMatch(
      /rows\[1\]\.a is a nested array/,
    );
  });
});

describe('decodeText', () => {
  it('refuses binary content', () => {
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0xff, 0xfe]);
    expect(errorOf(() => decodeText(bytes, 'image.png')).message).toBe(
      'image.png looks like a binary file, not CSV, JSON, Parquet or Arrow',
    );
  });

  it('accepts UTF-8 text', () => {
    expect(decodeText(new TextEncoder().encode('naïve,café\n1,2\n'), 'u.csv')).toContain('café');
  });
});

describe('non-finite numbers', () => {
  it('reads NaN as missing and refuses Infinity, naming row and column', () => {
    expect(toRows(tableFromRecords([{ a: NaN }, { a: 1 }]))).toEqual([{ a: null }, { a: 1 }]);
    expect(errorOf(() => tableFromRecords([{ a: 1 }, { a: -Infinity }], 'rows')).message).toBe(
      'rows[1].a is -Infinity; numbers must be finite (use null for a missing value)',
    );
  });

  it('reads "Infinity" in a CSV as text, not as a number', () => {
    expect(parseDelimited('a\n1\nInfinity\n', 'i.csv').columns[0].kind).toBe('string');
  });
});

describe('parseDelimited in pieces', () => {
  it('keeps quoted line breaks, escaped quotes, CRLF and a BOM intact across piece boundaries', () => {
    // ~3 MB of rows whose quoted field holds a line break and an escaped quote, so some straddle a piece's end.
    const rows = Array.from(
      { length: 40_000 },
      (_, i) => `${i},"line one ${'x'.repeat(i % 50)}\r\nsays ""hi"" ${i}",${i % 3 === 0 ? '' : i / 4}`,
    );
    const text = '\uFEFFid,note,v\r\n' + rows.join('\r\n') + '\r\n\r\n';
    const t = parseDelimited(text, 'q.csv');
    expect(t.rowCount).toBe(40_000);
    expect(t.columns.map((c) => c.name)).toEqual(['id', 'note', 'v']);
    const all = toRows(t);
    for (const i of [0, 1, 12_345, 26_000, 39_999]) {
      expect(all[i]).toEqual({
        id: i,
        note: `line one ${'x'.repeat(i % 50)}\r\nsays "hi" ${i}`,
        v: i % 3 === 0 ? null : i / 4,
      });
    }
  });
});

describe('parseDelimited on plain text (no quotes, no carriage returns)', () => {
  /** The table d3-dsv and the generic cell path make of the same text: the reference for the byte reader. */
  function reference(text: string): Table {
    const rows = dsvFormat(',')
      .parseRows(text)
      .filter((r) => r.some((f) => f.trim() !== ''));
    const assembler = new TableAssembler('ref.csv', rows[0]);
    for (const row of rows.slice(1)) assembler.pushRow(row);
    return assembler.build();
  }

  it('reads every row after the header as d3-dsv would: number forms, missing words, blank lines, a late text value, non-ASCII pieces', () => {
    const forms = [
      '0',
      '-0',
      '+5',
      '.5',
      '1.',
      '-.25',
      '007',
      '1e5',
      '0x1F',
      '12345678901234567',
      '0.1234567890123',
      ' 7 ',
      'NA',
      '',
      '-',
      '.',
      '3.14159',
      '-1000000.5',
    ];
    const lines = ['n,k,late,s'];
    for (let i = 0; i < 120_000; i++) {
      lines.push(
        `${forms[i % forms.length]},${i % 1000},${i === 110_000 ? 'oops' : i / 4},${i % 50_000 === 7 ? 'café' : `s${i % 9}`}`,
      );
      // A line of no-break and ideographic spaces is blank to d3-dsv's trim() as well.
      if (i % 30_000 === 3) lines.push('', ',,,', '   ', '\u00a0,,\u3000,');
    }
    const text = lines.join('\n') + '\n';
    const t = parseDelimited(text, 'plain.csv');
    const ref = reference(text);
    expect(t.columns.map((c) => c.kind)).toEqual(ref.columns.map((c) => c.kind));
    expect(t.columns.map((c) => c.kind)).toEqual(['string', 'number', 'string', 'string']);
    expect(toRows(t)).toEqual(toRows(ref));
  });

  it('reads every plain decimal as Number() does, at and past 2^53 and 22 decimals', () => {
    const forms = [
      '9007199254740991',
      '9007199254740992',
      '9007199254740993',
      '-9007199254740993',
      '18014398509481985',
      '900719925474099.3',
      '0.9007199254740993',
      '0.1234567890123456',
      '123456789012345678901234567890',
      '0.0000000000000000000001',
      '0.00000000000000000000012',
      '000000000000000000000000001.5',
      '-0',
      '+0.0',
      '1.',
      '.5',
      '-.25',
      '0.30000000000000004',
      '179769313486231570000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000',
    ];
    const lines = ['x,i'];
    for (let i = 0; i < 20_000; i++) lines.push(`${forms[i % forms.length]},${i}`);
    const column = parseDelimited(lines.join('\n'), 'digits.csv').columns[0];
    expect(column.kind).toBe('number');
    const values = column.kind === 'number' ? column.values : new Float64Array(0);
    const wrong = forms.filter((f, i) => !Object.is(values[i], Number(f)));
    expect(wrong, 'read otherwise than Number()').toEqual([]);
    expect(values.every((v, i) => Object.is(v, Number(forms[i % forms.length])))).toBe(true);
  });

  it('finds the header after blank and delimiter-only lines and reads every row after it', () => {
    const text = '\n  \n,,\n\u00a0,\na,b\n1,x\n\n2,y\n-3.5,z\n';
    const t = parseDelimited(text, 'h.csv');
    expect(t.columns.map((c) => c.name)).toEqual(['a', 'b']);
    expect(t.rowCount).toBe(3);
    expect(toRows(t)).toEqual(toRows(reference(text)));
  });

  it('names a ragged row and an oversized field past the first piece by their lines', () => {
    const head = 'a,b\n' + Array.from({ length: 200_000 }, (_, i) => `${i},${i}`).join('\n');
    expect(errorOf(() => parseDelimited(`${head}\n1,2,3\n`, 'r.csv')).message).toBe(
      'r.csv:200002: row 200001 has 3 fields, the header has 2',
    );
    expect(errorOf(() => parseDelimited(`${head}\n1,${'x'.repeat(MAX_FIELD_CHARS + 1)}\n`, 'f.csv')).message).toMatch(
      /^f\.csv:200002: field 2 is 1,048,577 characters long/,
    );
  });
});
