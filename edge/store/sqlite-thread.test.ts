import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSqliteThread } from './sqlite-thread';
import { openSqlite } from './sqlite';

const dir = mkdtempSync(path.join(tmpdir(), 'flywheel-checkpoint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return condition();
}

describe('background WAL checkpoints', () => {
  it('the serving connection never checkpoints; the thread copies the log into the database file', async () => {
    const file = path.join(dir, 'bg.db');
    const db = openSqlite(file, { backgroundThread: true });
    expect(await db.first('PRAGMA wal_autocheckpoint')).toEqual({ wal_autocheckpoint: 0 });
    await db.run('CREATE TABLE t (x TEXT)');
    const before = statSync(file).size;
    // ~2.5 MB of rows: past the 1,000-page point where a commit would checkpoint by itself.
    const payload = 'x'.repeat(1000);
    for (let i = 0; i < 5; i++)
      await db.batch(Array.from({ length: 500 }, () => ({ sql: 'INSERT INTO t VALUES (?)', params: [payload] })));
    expect(await until(() => statSync(file).size > before + 2_000_000, 10_000)).toBe(true);
    expect(await db.first('SELECT COUNT(*) AS n FROM t')).toEqual({ n: 2500 });
    await db.close();
  });

  it('reports a thread that cannot start', async () => {
    const failure = await new Promise<Error>((resolve) => {
      startSqliteThread(path.join(dir, 'missing.db'), resolve, 20);
    });
    expect(failure.message).toMatch(/unable to open|does not exist|no such file/i);
  });
});

describe('row writes on the background thread', () => {
  it('inserts every row in short transactions, visible to the serving connection once it resolves', async () => {
    const db = openSqlite(path.join(dir, 'many.db'), { backgroundThread: true });
    await db.run('CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER NOT NULL)');
    const rows = Array.from({ length: 1000 }, (_, i) => [`r${i}`, i]);
    await db.rows.write({ into: 'INSERT OR IGNORE INTO t (id, n)', columns: 2 }, rows);
    expect(await db.first('SELECT COUNT(*) AS n, SUM(n) AS total FROM t')).toEqual({ n: 1000, total: 499500 });
    // Idempotent statements make a retry of all the rows harmless.
    await db.rows.write({ into: 'INSERT OR IGNORE INTO t (id, n)', columns: 2 }, rows.slice(0, 10));
    expect(await db.first('SELECT COUNT(*) AS n FROM t')).toEqual({ n: 1000 });
    await db.close();
  });

  it('rejects with the SQLite code when a row fails', async () => {
    const db = openSqlite(path.join(dir, 'many-fail.db'), { backgroundThread: true });
    await db.run('CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER NOT NULL)');
    const failed = await db.rows
      .write({ into: 'INSERT INTO t (id, n)', columns: 2 }, [
        ['a', 1],
        ['b', null],
      ])
      .catch((e: unknown) => e);
    expect(failed).toMatchObject({ name: 'SqlError', code: 'SQLITE_CONSTRAINT_NOTNULL' });
    expect((failed as Error).message).toMatch(/NOT NULL/);
    await db.close();
  });

  it("is the serving connection's own without the thread", async () => {
    const plain = openSqlite(path.join(dir, 'plain.db'));
    const threaded = openSqlite(path.join(dir, 'threaded.db'), { backgroundThread: true });
    expect([plain.rows.offThread, threaded.rows.offThread]).toEqual([false, true]);
    await plain.close();
    await threaded.close();
  });
});

describe('values crossing to the thread', () => {
  it('arrive exactly: strings, numbers and nulls', async () => {
    const db = openSqlite(path.join(dir, 'values.db'), { backgroundThread: true });
    await db.run('CREATE TABLE t (i INTEGER PRIMARY KEY, s TEXT, x REAL, n INTEGER)');
    const rows = [
      [1, '', 0.1 + 0.2, null],
      [2, 'ünï "cödé" 💡\n\t\u001f', -1.5e-300, 9007199254740991],
      [3, null, 1e21, -42],
    ];
    await db.rows.write({ into: 'INSERT INTO t', columns: 4 }, rows);
    expect((await db.all('SELECT i, s, x, n FROM t ORDER BY i')).map((r) => Object.values(r))).toEqual(rows);
    await db.close();
  });

  it('JSON columns are stored as the JSON text of the data sent', async () => {
    const db = openSqlite(path.join(dir, 'json.db'), { backgroundThread: true });
    await db.run('CREATE TABLE t (i INTEGER PRIMARY KEY, doc TEXT NOT NULL)');
    const features = Object.create(null) as Record<string, unknown>;
    features['x 1'] = { counts: [1, 0, 2], sample: [0.1 + 0.2, -1.5e-300, 1e21], min: 0 };
    const docs = [{ requests: 3, latency: { p: [1, 2] }, features }, ['ünï "cödé" 💡', null, true], 'plain text', 42.5];
    await db.rows.write(
      { into: 'INSERT INTO t', columns: 2 },
      docs.map((d, i) => [i, d]),
      [1],
    );
    const stored = await db.all<{ doc: string }>('SELECT doc FROM t ORDER BY i');
    expect(stored.map((r) => r.doc)).toEqual(docs.map((d) => JSON.stringify(d)));
    await db.close();
  });
});
