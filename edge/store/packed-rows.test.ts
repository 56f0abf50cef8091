import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RowPacker, unpackRows } from './packed-rows';
import { openSqlite } from './sqlite';

const dir = mkdtempSync(path.join(tmpdir(), 'flywheel-packed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rows: [string, number, string][] = [
  ['', 0, '{}'],
  ['ünï "cödé" 💡\n\t\u001f', -1.5e-300, '\ufeff{"x": 1.50}'],
  ['x'.repeat(100_000), 1e21, '😀'.repeat(30_000)],
  ['req-3', 1_700_000_000_123, ' {"a":[1,2,3]} '],
];

describe('packed rows', () => {
  it('give back exactly the rows packed, across buffer growth, and take() starts afresh', () => {
    const packer = new RowPacker('sns');
    for (const row of rows) packer.push(row);
    expect(packer.count).toBe(rows.length);
    const packed = packer.take()!;
    expect(packed.count).toBe(rows.length);
    expect(unpackRows(packed)).toEqual(rows);
    expect(packer.count).toBe(0);
    expect(packer.take()).toBeNull();
    packer.push(rows[3]);
    expect(unpackRows(packer.take()!)).toEqual([rows[3]]);
  });

  it('refuses column types it does not know', () => {
    expect(() => new RowPacker('sx')).toThrow(/letters s and n/);
  });

  it('are written by the background thread as the same values', async () => {
    const db = openSqlite(path.join(dir, 'packed.db'), { backgroundThread: true });
    await db.run('CREATE TABLE t (a TEXT, n REAL, b TEXT)');
    const packer = new RowPacker('sns');
    for (const row of rows) packer.push(row);
    await db.rows.write({ into: 'INSERT INTO t', columns: 3 }, packer.take()!);
    expect((await db.all('SELECT a, n, b FROM t ORDER BY rowid')).map((r) => Object.values(r))).toEqual(rows);
    await db.close();
  });
});
