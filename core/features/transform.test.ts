import { describe, expect, it } from 'vitest';
import { tableFromRecords } from '../data/table-from-cells';
import { FlywheelError } from '../errors';
import { encodeRows, encodeTable } from './encode';
import { fitTransform } from './fit-transform';
import { inferSchema } from './infer-schema';
import { transformOptionsSchema } from './transform-spec';

const train = tableFromRecords([
  { x: 1, y: 'a', b: 'true', d: '2012-03-01', t: 'free text 1' },
  { x: 3, y: 'b', b: 'false', d: '2012-06-15', t: 'free text 2' },
  { x: null, y: 'a', b: 'true', d: '2013-12-31', t: 'free text 3' },
  { x: 5, y: null, b: null, d: null, t: 'free text 4' },
]);
const schema = inferSchema(train).columns.map((c) => (c.name === 't' ? { ...c, type: 'text' as const } : c));

describe('fitTransform and encode', () => {
  it('standardises with the training mean and population std, imputes the median, one-hots with an unknown bucket', () => {
    const { transform, dropped } = fitTransform(train, schema, transformOptionsSchema.parse({ datetime: ['month'] }));
    expect(dropped).toEqual([{ name: 't', reason: 'free text is not encoded (too many distinct values to one-hot)' }]);
    expect(transform.outputs).toEqual(['x', 'y=a', 'y=b', 'y=(unknown)', 'b', 'd.month']);
    const x = transform.features[0];
    expect(x).toEqual({ name: 'x', kind: 'numeric', fill: 3, scaling: { center: 3, scale: Math.sqrt(8 / 3) } });
    const enc = encodeTable(transform, train);
    expect(enc.length).toBe(4 * 6);
    expect(Array.from(enc.subarray(6 * 2, 6 * 3))).toEqual([
      0,
      1,
      0,
      0,
      1,
      expect.closeTo((12 - 7) / Math.sqrt(14), 5),
    ]);
    expect(Array.from(enc.subarray(6 * 3 + 1, 6 * 3 + 4))).toEqual([0, 0, 1]);
  });

  it('applies identically after a JSON round trip, for tables and for rows', () => {
    const { transform } = fitTransform(
      train,
      schema,
      transformOptionsSchema.parse({ numeric: 'minmax', impute: 'mean' }),
    );
    const copy = JSON.parse(JSON.stringify(transform));
    expect(encodeTable(copy, train)).toEqual(encodeTable(transform, train));
    const rows = [{ x: 2, y: 'zzz', b: 'yes', d: '2014-01-01' }, [null, 'a', false, null]];
    expect(encodeRows(copy, rows)).toEqual(encodeRows(transform, rows));
    expect(encodeRows(transform, rows).subarray(1, 4)).toEqual(new Float32Array([0, 0, 1]));
  });

  it('encodes into a given buffer of the right size, writing every element, and allocates otherwise', () => {
    const { transform } = fitTransform(train, schema, transformOptionsSchema.parse({ datetime: ['month'] }));
    const rows = [
      { x: 2, y: 'b', b: 'true', d: '2014-05-01' },
      { x: null, y: null, b: null, d: null },
      { x: 9, y: 'a', b: 'false', d: '2012-01-01' },
    ];
    const into = new Float32Array(transform.width).fill(7);
    for (const row of rows) {
      const out = encodeRows(transform, [row], 'instances', into);
      expect(out).toBe(into);
      expect(out).toEqual(encodeRows(transform, [row]));
    }
    expect(encodeRows(transform, rows, 'instances', into)).not.toBe(into);
  });

  it('names every column a table lacks, and the columns it has', () => {
    const { transform } = fitTransform(train, schema, transformOptionsSchema.parse({ datetime: ['month'] }));
    const short = tableFromRecords([{ y: 'a', z: 1 }]);
    expect(() => encodeTable(transform, short)).toThrow(
      'the data has no columns "x", "b" and "d", which the model needs (it has "y", "z")',
    );
    try {
      encodeTable(transform, short);
    } catch (e) {
      expect((e as FlywheelError).details.map((d) => d.path)).toEqual(['x', 'b', 'd']);
    }
    expect(() => encodeTable(transform, tableFromRecords([{ X: 1, Y: 'a', b: 'true', D: '2012-01-01' }]))).toThrow(
      'the data has no columns "x", "y" and "d", which the model needs (it has "X", "Y", "b", "D"; names differ only in case or spaces: "X" for "x", "Y" for "y", "D" for "d")',
    );
    const wide = tableFromRecords([
      Object.fromEntries(
        Array.from({ length: 15 }, (_, i) => [`c${i}`, i]).concat([
          ['x', 1],
          ['y', 'a'],
          ['d', '2012-01-01'],
        ]),
      ),
    ]);
    expect(() => encodeTable(transform, wide)).toThrow(
      'the data has no column "b", which the model needs (it has "c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9", "c10", "c11" and 6 more)',
    );
  });

  it('names the row and feature of bad serving input', () => {
    const { transform } = fitTransform(train, schema, transformOptionsSchema.parse({}));
    try {
      encodeRows(transform, [{ x: 1, y: 'a', b: true, d: '2012-01-01' }, { x: 'ten', y: 'a', b: 'true' }, 'nope']);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FlywheelError);
      expect((e as FlywheelError).details).toEqual([
        { path: 'instances[1].x', message: 'expected a number, got "ten"' },
        { path: 'instances[1].d', message: 'missing feature (send null for a missing value)' },
        { path: 'instances[2]', message: 'expected an object of feature values or an array in signature order' },
      ]);
    }
  });

  it('refuses a number or boolean for a categorical feature, naming it, where an unseen string or NaN is the unknown bucket', () => {
    const mixed = tableFromRecords([{ c: 'a' }, { c: '3' }, { c: 'b' }]);
    const { transform } = fitTransform(mixed, inferSchema(mixed).columns, transformOptionsSchema.parse({}));
    expect(Array.from(encodeRows(transform, [{ c: 3 }, { c: 'zzz' }, { c: NaN }, { c: null }]))).toEqual([
      1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1,
    ]);
    try {
      encodeRows(transform, [{ c: 4 }, { c: true }]);
      expect.unreachable();
    } catch (e) {
      expect((e as FlywheelError).details).toEqual([
        { path: 'instances[0].c', message: 'expected a category such as "3", got the number 4' },
        { path: 'instances[1].c', message: 'expected a category such as "3", got the boolean true' },
      ]);
    }
  });

  it('drops an all-missing feature with its reason, and refuses when nothing is left', () => {
    const t = tableFromRecords([
      { a: null, b: 1 },
      { a: null, b: 2 },
    ]);
    const s = [
      { name: 'a', type: 'numeric' as const, nullable: true },
      { name: 'b', type: 'numeric' as const, nullable: false },
    ];
    expect(fitTransform(t, s, transformOptionsSchema.parse({})).dropped).toEqual([
      { name: 'a', reason: 'every training value is missing' },
    ]);
    expect(() => fitTransform(t, [s[0]], transformOptionsSchema.parse({}))).toThrow(/no usable features/);
  });
});
