import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { escapeFormulaCell, FORMULA_CELL, unescapeFormulaCell } from './csv-formula';

describe('CSV formula escaping', () => {
  it('prefixes the cells OWASP lists as formula starts', () => {
    for (const cell of ['=HYPERLINK("http://x")', '+cmd', '-2+3', '@SUM(A1)', '\tx', '\rx', "'=already"])
      expect(escapeFormulaCell(cell)).toBe(`'${cell}`);
  });

  it('leaves plain numbers and ordinary text alone', () => {
    for (const cell of ['-3.2', '+1e5', '-.5', '42', 'Gentoo', 'a=b', '']) expect(escapeFormulaCell(cell)).toBe(cell);
  });

  it('round-trips through papaparse: the export escapes, the reader gives back every original cell', () => {
    const rows = [
      { a: '=1+1', b: -3.2, c: "'quoted" },
      { a: '-3.2', b: 7, c: '@x' },
    ];
    const csv = Papa.unparse(rows, { escapeFormulae: FORMULA_CELL });
    expect(csv.split('\r\n')[1]).toBe(`"'=1+1",-3.2,"''quoted"`);
    const back = Papa.parse<Record<string, string>>(csv, { header: true, transform: unescapeFormulaCell }).data;
    expect(back).toEqual([
      { a: '=1+1', b: '-3.2', c: "'quoted" },
      { a: '-3.2', b: '7', c: '@x' },
    ]);
  });
});
