import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rolloutContract } from '../rollout.contract';
import { d1Database, d1ErrorCode, type D1Database } from './d1';
import { migrateD1 } from './d1-migrations';
import { readMigrations } from './node-migrations';
import { sqlContract } from './sql.contract';
import { SqlError } from './sql-error';

const migrations = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations');

// One local D1 (workerd through miniflare), reached through miniflare's binding proxy.
let mf: Miniflare;
let binding: D1Database;
beforeAll(async () => {
  mf = new Miniflare({
    modules: true,
    script: 'export default { fetch: () => new Response(null) }',
    compatibilityDate: '2026-04-01',
    d1Databases: ['DB'],
  });
  binding = await mf.getD1Database('DB');
});
afterAll(() => mf?.dispose());

/** An empty database for each test: drops every table, newest first (D1's own `_cf_` tables stay). */
async function fresh(): Promise<D1Database> {
  const db = d1Database(binding);
  const tables = await db.all<{ name: string }>(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' ORDER BY rowid DESC",
  );
  for (const { name } of tables) await db.run(`DROP TABLE "${name}"`);
  return binding;
}

sqlContract('D1 (workerd)', async () => d1Database(await fresh()));
rolloutContract('D1 (workerd)', async () => {
  const db = d1Database(await fresh());
  await migrateD1(db, await readMigrations(migrations));
  return db;
});

describe('d1Database', () => {
  it('rethrows D1 failures as SqlError with the extended code and SQLite’s message', async () => {
    const db = d1Database(await fresh());
    await db.run('CREATE TABLE t (x INTEGER NOT NULL)');
    const notNull = await db.run('INSERT INTO t VALUES (?)', [null]).catch((e: unknown) => e);
    expect(notNull).toBeInstanceOf(SqlError);
    expect((notNull as SqlError).code).toBe('SQLITE_CONSTRAINT_NOTNULL');
    expect((notNull as SqlError).message).toBe('NOT NULL constraint failed: t.x');
    const syntax = await db.all('SELEC 1').catch((e: unknown) => e);
    expect((syntax as SqlError).code).toBe('SQLITE_ERROR');
    expect((syntax as SqlError).message).toContain('syntax error');
    const tooBig = await db.run('INSERT INTO t VALUES (?)', ['x'.repeat(3_000_000)]).catch((e: unknown) => e);
    expect((tooBig as SqlError).code).toBe('SQLITE_TOOBIG');
  });

  it('migrates on D1 once, then answers from one query', async () => {
    const db = d1Database(await fresh());
    const files = await readMigrations(migrations);
    expect(await migrateD1(db, files)).toEqual(files.map((m) => m.name));
    expect(await migrateD1(db, files)).toEqual([]);
  });

  it('fails after close', async () => {
    const db = d1Database(await fresh());
    await db.close();
    await expect(db.first('SELECT 1')).rejects.toThrow(/closed/);
  });
});

describe('d1ErrorCode', () => {
  it('reads the extended code, else SQLite’s message, else the trailing code', () => {
    expect(
      d1ErrorCode(
        'D1_ERROR: UNIQUE constraint failed: t.id: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_PRIMARYKEY)',
      ),
    ).toBe('SQLITE_CONSTRAINT_PRIMARYKEY');
    expect(d1ErrorCode('D1_ERROR: UNIQUE constraint failed: items.name')).toBe('SQLITE_CONSTRAINT_UNIQUE');
    expect(d1ErrorCode('D1_ERROR: FOREIGN KEY constraint failed')).toBe('SQLITE_CONSTRAINT_FOREIGNKEY');
    expect(d1ErrorCode('D1_ERROR: database is locked')).toBe('SQLITE_BUSY');
    expect(d1ErrorCode('D1_ERROR: no such table: nope: SQLITE_ERROR')).toBe('SQLITE_ERROR');
    expect(d1ErrorCode('D1_ERROR: something new: SQLITE_IOERR')).toBe('SQLITE_IOERR');
    expect(d1ErrorCode('D1_ERROR: Wrong number of parameter bindings for SQL query.')).toBe('SQLITE_ERROR');
  });
});
