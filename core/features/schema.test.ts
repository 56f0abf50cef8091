import { describe, expect, it } from 'vitest';
import { tableFromRecords } from '../data/table-from-cells';
import { inferSchema, parseDatetime } from './infer-schema';
import { validateTable } from './validate';
import { profileTable } from './profile';

const rows = [
  { num: 1.5, int: 3, flag: 'true', when: '2012-01-01', cat: 'a', id: 'x1' },
  { num: 2.5, int: 4, flag: 'false', when: '2012-01-02', cat: 'b', id: 'x2' },
  { num: null, int: 5, flag: 'true', when: '2013/02/03 10:15', cat: 'a', id: 'x3' },
];

describe('inferSchema', () => {
  it('infers numeric, integer, boolean, datetime, categorical and nullable', () => {
    const s = inferSchema(tableFromRecords(rows));
    expect(s.columns.map((c) => [c.name, c.type, c.nullable])).toEqual([
      ['num', 'numeric', true],
      ['int', 'integer', false],
      ['flag', 'boolean', false],
      ['when', 'datetime', false],
      ['cat', 'categorical', false],
      ['id', 'categorical', false],
    ]);
    expect(s.columns[4].domain).toEqual(['a', 'b']);
    expect(s.columns[1]).toMatchObject({ min: 3, max: 5 });
  });

  it('calls a high-cardinality string column text', () => {
    const t = tableFromRecords(Array.from({ length: 200 }, (_, i) => ({ name: `person ${i}`, group: `g${i % 4}` })));
    expect(inferSchema(t).columns.map((c) => c.type)).toEqual(['text', 'categorical']);
  });

  it('reads datetimes as UTC', () => {
    expect(parseDatetime('2013/02/03 10:15')).toBe(Date.UTC(2013, 1, 3, 10, 15));
    expect(parseDatetime('2012-01-01')).toBe(Date.UTC(2012, 0, 1));
    expect(parseDatetime('not a date')).toBeNaN();
  });
});

describe('validateTable', () => {
  const schema = inferSchema(tableFromRecords(rows));

  it('finds nothing in the data the schema came from', () => {
    expect(validateTable(tableFromRecords(rows), schema)).toEqual([]);
  });

  it('reports a missing column as an error', () => {
    const t = tableFromRecords(rows.map(({ cat: _cat, ...r }) => r));
    expect(validateTable(t, schema)).toEqual([
      {
        column: 'cat',
        kind: 'missing_column',
        severity: 'error',
        count: 0,
        examples: [],
        message: 'column "cat" (categorical) is missing',
      },
    ]);
  });

  it('reports wrong types, unseen categories, ranges, missing values and new columns', () => {
    const bad = tableFromRecords([
      { num: 'abc', int: 2.5, flag: 'maybe', when: 'soon', cat: 'z', id: 'x1', extra: 1 },
      { num: 1, int: 100, flag: 'true', when: '2012-01-01', cat: null, id: 'x2', extra: 2 },
    ]);
    const strict = { columns: schema.columns.map((c) => (c.name === 'cat' ? { ...c, nullable: false } : c)) };
    const found = validateTable(bad, strict).map((a) => [a.column, a.kind, a.severity, a.count, a.examples]);
    expect(found).toEqual([
      ['num', 'wrong_type', 'error', 1, ['abc']],
      ['num', 'out_of_range', 'warning', 1, [1]],
      ['int', 'wrong_type', 'error', 1, [2.5]],
      ['int', 'out_of_range', 'warning', 1, [100]],
      ['flag', 'wrong_type', 'error', 1, ['maybe']],
      ['when', 'wrong_type', 'error', 1, ['soon']],
      ['cat', 'unseen_category', 'warning', 1, ['z']],
      ['cat', 'missing_values', 'error', 1, []],
      ['extra', 'unexpected_column', 'info', 2, []],
    ]);
  });

  it('reports a missing ratio above the bound', () => {
    const t = tableFromRecords([{ num: null }, { num: null }, { num: 1 }]);
    const [a] = validateTable(t, { columns: [{ name: 'num', type: 'numeric', nullable: true, maxMissingRatio: 0.2 }] });
    expect(a).toMatchObject({ kind: 'missing_values', severity: 'error', count: 2 });
    expect(a.message).toBe('66.7% of "num" is missing, above the bound of 20.0%');
  });
});

describe("inferSchema with the table's profile", () => {
  it('gives the schema it gives without it', () => {
    const t = tableFromRecords(
      Array.from({ length: 500 }, (_, i) => ({ n: i % 7 === 0 ? null : i / 3, k: i % 3, c: `v${i % 4}` })),
    );
    expect(inferSchema(t, profileTable(t))).toEqual(inferSchema(t));
  });
});
