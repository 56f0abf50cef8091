import { describe, expect, it } from 'vitest';
import { TelemetryRecorder, type TelemetryBaseline } from '../../core/telemetry';
import { RowPacker } from './packed-rows';
import { slicedJson, sqlRowSink, SLICE_ROWS } from './row-sink';
import { openSqlite } from './sqlite';

describe('slicedJson', () => {
  it('is the text JSON.stringify gives for a telemetry rollup', async () => {
    const recorder = new TelemetryRecorder({ seed: 3 });
    const baseline = {
      columns: [
        { name: 'x', type: 'numeric', histogram: { edges: [0, 1, 2], counts: [5, 5] } },
        { name: 'c', type: 'categorical', counts: { a: 3, b: 7 } },
      ],
    } as unknown as TelemetryBaseline;
    recorder.registerBaseline('m', '1', baseline);
    for (let i = 0; i < 50; i++)
      recorder.record({
        model: 'm',
        version: '1',
        at: 1000,
        latencyMs: i / 10,
        rows: 1,
        status: 200,
        predictions: { values: [i] },
        records: [{ x: i / 25, c: i % 3 ? 'a' : 'z' }],
      });
    const [record] = recorder.drain();
    expect(await slicedJson(record.rollup)).toBe(JSON.stringify(record.rollup));
  });

  it('skips what JSON.stringify skips and keeps what it keeps', async () => {
    const value = {
      a: undefined,
      b: () => 1,
      c: { d: new Date(0), e: [1, undefined, 'x'], f: { g: { h: null } } },
      i: Number.NaN,
      j: 'é"',
    };
    expect(await slicedJson(value)).toBe(JSON.stringify(value));
    expect(await slicedJson([1, { a: 2 }])).toBe('[1,{"a":2}]');
    expect(await slicedJson(undefined)).toBe('null');
  });
});

describe('sqlRowSink', () => {
  it('writes every row, packed or not, with JSON columns as text, over several transactions', async () => {
    const db = openSqlite(':memory:');
    await db.run('CREATE TABLE t (id TEXT PRIMARY KEY, n REAL, doc TEXT)');
    const sink = sqlRowSink(db);
    const rows = Array.from({ length: SLICE_ROWS * 2 + 3 }, (_, i) => [`r${i}`, i / 4, { i, tags: ['a'] }]);
    const insert = { into: 'INSERT OR IGNORE INTO t (id, n, doc)', columns: 3 };
    await sink.write(insert, rows, [2]);
    const packer = new RowPacker('sns');
    packer.push(['packed', 1.5, '{"p":true}']);
    packer.push(['r0', 99, 'ignored']);
    await sink.write(insert, packer.take()!);
    expect(await db.first('SELECT COUNT(*) AS n FROM t')).toEqual({ n: rows.length + 1 });
    expect(await db.first('SELECT n, doc FROM t WHERE id = ?', ['r5'])).toEqual({
      n: 1.25,
      doc: '{"i":5,"tags":["a"]}',
    });
    expect(await db.first('SELECT n, doc FROM t WHERE id = ?', ['packed'])).toEqual({ n: 1.5, doc: '{"p":true}' });
    await db.close();
  });
});
