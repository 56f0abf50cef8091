import { describe, expect, it } from 'vitest';
import { parseDelimited } from '../../../core/data/parse-delimited';
import { inferSchema, profileTable } from '../../../core/features';
import { qualityNotes } from './quality-notes';

function notesOf(csv: string) {
  const table = parseDelimited(csv, 'test.csv');
  return qualityNotes(profileTable(table), inferSchema(table));
}

/** `n` CSV lines from a row function. */
function rows(n: number, row: (i: number) => string): string {
  return Array.from({ length: n }, (_, i) => row(i)).join('\n');
}

describe('qualityNotes', () => {
  it('finds nothing in a clean table', () => {
    expect(notesOf(`x,c\n${rows(40, (i) => `${i % 7},${['a', 'b', 'c'][i % 3]}`)}`)).toEqual([]);
  });

  it('grades missing values by share and puts errors first', () => {
    // a: 1 of 40 missing (info); b: 15 of 40 (warning); c: 36 of 40 (error); d: all missing.
    const notes = notesOf(
      `a,b,c,d,k\n${rows(40, (i) => `${i === 0 ? '' : i},${i < 15 ? '' : i},${i < 36 ? '' : i},,${i % 5}`)}`,
    );
    expect(notes.map((n) => [n.column, n.severity, n.kind])).toEqual([
      ['c', 'error', 'missing'],
      ['d', 'error', 'all_missing'],
      ['b', 'warning', 'missing'],
      ['a', 'info', 'missing'],
    ]);
    expect(notes[0].message).toBe('90% of values are missing: imputing this much invents the column');
    expect(notes[3].message).toBe('1 missing (2.5%); imputed at training');
  });

  it('flags constant columns, identifiers, mixed types and a dominant value', () => {
    const notes = notesOf(
      `k,id,n,s,mix\n${rows(40, (i) => `7,user-${i},const,${i === 0 ? 'rare' : 'common'},${i % 4 === 0 ? 'unknown' : i}`)}`,
    );
    const byKind = Object.fromEntries(notes.map((n) => [n.kind + ':' + n.column, n.message]));
    expect(byKind['constant:k']).toBe('constant (7): carries no information');
    expect(byKind['constant:n']).toBe('constant ("const"): carries no information');
    expect(byKind['identifier:id']).toBe(
      '40 distinct values in 40 rows: looks like an identifier; exclude it from features',
    );
    expect(byKind['dominant_value:s']).toBe('"common" is 98% of values: the column barely varies');
    expect(byKind['mixed_types:mix']).toBe(
      'mixed types: 75% of values are numbers, the rest text ("unknown"), so the column is read as text',
    );
    expect(notes.every((n) => n.severity === 'warning')).toBe(true);
  });

  it('mentions a wide categorical column without calling it an identifier', () => {
    const notes = notesOf(`city\n${rows(300, (i) => `c${i % 60}`)}`);
    expect(notes).toEqual([
      {
        column: 'city',
        severity: 'info',
        kind: 'high_cardinality',
        message: '60 categories: one-hot encoding adds as many inputs',
      },
    ]);
  });
});
