import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sqlContract } from './sql.contract';
import { SqlError } from './sql-error';
import { openSqlite } from './sqlite';

const dir = mkdtempSync(path.join(tmpdir(), 'flywheel-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

sqlContract('SQLite file', async () => openSqlite(path.join(dir, `contract-${files++}.db`)));
sqlContract('SQLite :memory:', async () => openSqlite(':memory:'));

describe('openSqlite', () => {
  it('opens a file in WAL mode with synchronous=NORMAL, foreign keys and a busy timeout', async () => {
    const db = openSqlite(path.join(dir, 'pragmas.db'));
    expect(await db.first('PRAGMA journal_mode')).toEqual({ journal_mode: 'wal' });
    expect(await db.first('PRAGMA synchronous')).toEqual({ synchronous: 1 });
    expect(await db.first('PRAGMA foreign_keys')).toEqual({ foreign_keys: 1 });
    expect(await db.first('PRAGMA page_size')).toEqual({ page_size: 16384 });
    const { timeout } = (await db.first<{ timeout: number }>('PRAGMA busy_timeout'))!;
    expect(timeout).toBeGreaterThan(0);
    await db.close();
  });

  it('two connections to one file see each other’s commits', async () => {
    const file = path.join(dir, 'shared.db');
    const a = openSqlite(file);
    const b = openSqlite(file);
    await a.run('CREATE TABLE t (x INTEGER)');
    await a.batch([
      { sql: 'INSERT INTO t VALUES (?)', params: [1] },
      { sql: 'INSERT INTO t VALUES (?)', params: [2] },
    ]);
    expect(await b.all('SELECT x FROM t ORDER BY x')).toEqual([{ x: 1 }, { x: 2 }]);
    await a.close();
    await b.close();
  });

  it('data survives closing and reopening the file', async () => {
    const file = path.join(dir, 'reopen.db');
    const a = openSqlite(file);
    await a.run('CREATE TABLE t (x TEXT)');
    await a.run('INSERT INTO t VALUES (?)', ['kept']);
    await a.close();
    const b = openSqlite(file);
    expect(await b.all('SELECT x FROM t')).toEqual([{ x: 'kept' }]);
    await b.close();
  });

  it('rethrows SQLite failures as SqlError with the extended code, other misuse as is', async () => {
    const db = openSqlite(':memory:');
    await db.run('CREATE TABLE t (x INTEGER NOT NULL)');
    const notNull = await db.run('INSERT INTO t VALUES (?)', [null]).catch((e: unknown) => e);
    expect(notNull).toBeInstanceOf(SqlError);
    expect((notNull as SqlError).code).toBe('SQLITE_CONSTRAINT_NOTNULL');
    const syntax = await db.all('SELEC 1').catch((e: unknown) => e);
    expect((syntax as SqlError).code).toBe('SQLITE_ERROR');
    expect((syntax as Error).message).toContain('syntax error');
    const tooFew = await db.run('INSERT INTO t VALUES (?)').catch((e: unknown) => e);
    expect(tooFew).toBeInstanceOf(RangeError);
    await db.close();
  });

  it('reuses a prepared statement across calls and across schema changes', async () => {
    const db = openSqlite(':memory:');
    await db.run('CREATE TABLE t (x INTEGER)');
    for (let i = 0; i < 300; i++) await db.run('INSERT INTO t VALUES (?)', [i]);
    expect(await db.first('SELECT count(*) AS n, sum(x) AS s FROM t')).toEqual({ n: 300, s: (299 * 300) / 2 });
    await db.run('ALTER TABLE t ADD COLUMN y TEXT');
    await db.run('INSERT INTO t VALUES (?, ?)', [1, 'y']);
    expect(await db.first('SELECT count(*) AS n, sum(x) AS s FROM t')).toEqual({ n: 301, s: (299 * 300) / 2 + 1 });
    await db.close();
  });

  it('all and first on a statement that returns no rows run it and return nothing', async () => {
    const db = openSqlite(':memory:');
    await db.run('CREATE TABLE t (x INTEGER)');
    expect(await db.all('INSERT INTO t VALUES (1)')).toEqual([]);
    expect(await db.first('INSERT INTO t VALUES (2)')).toBeNull();
    expect(await db.first('INSERT INTO t VALUES (3) RETURNING x')).toEqual({ x: 3 });
    expect(await db.first('SELECT count(*) AS n FROM t')).toEqual({ n: 3 });
    await db.close();
  });

  it('keeps working once more distinct statements than the cache holds have run', async () => {
    const db = openSqlite(':memory:');
    for (let i = 0; i < 600; i++) expect(await db.first(`SELECT ${i} AS v`)).toEqual({ v: i });
    expect(await db.first('SELECT 0 AS v')).toEqual({ v: 0 });
    await db.close();
  });

  it('fails after close', async () => {
    const db = openSqlite(':memory:');
    await db.close();
    await expect(db.all('SELECT 1')).rejects.toThrow();
  });
});
