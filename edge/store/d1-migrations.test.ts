import { beforeEach, describe, expect, it } from 'vitest';
import { migrateD1, WRANGLER_MIGRATIONS_TABLE } from './d1-migrations';
import type { Migration } from './migrate';
import type { SqlDatabase } from './sql';
import { splitSqlStatements } from './split-sql';
import { openSqlite } from './sqlite';

const MIGRATIONS: Migration[] = [
  { name: '0001_a.sql', sql: 'CREATE TABLE a (x INTEGER);\nINSERT INTO a VALUES (1);' },
  { name: '0002_b.sql', sql: 'CREATE TABLE b (y TEXT);' },
];

/** What `wrangler d1 migrations apply` does for one file: its table, the file's statements, then its record. */
async function wranglerApply(db: SqlDatabase, m: Migration): Promise<void> {
  await db.run(
    `CREATE TABLE IF NOT EXISTS ${WRANGLER_MIGRATIONS_TABLE} (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)`,
  );
  await db.batch([
    ...splitSqlStatements(m.sql).map((sql) => ({ sql })),
    { sql: `INSERT INTO ${WRANGLER_MIGRATIONS_TABLE} (name) values (?)`, params: [m.name] },
  ]);
}

const names = async (db: SqlDatabase, table: string) =>
  (await db.all<{ name: string }>(`SELECT name FROM ${table} ORDER BY name`)).map((r) => r.name);

describe('migrateD1', () => {
  let db: SqlDatabase;
  beforeEach(() => {
    db = openSqlite(':memory:');
  });

  it('applies every migration once and records them for wrangler too', async () => {
    expect(await migrateD1(db, MIGRATIONS)).toEqual(['0001_a.sql', '0002_b.sql']);
    expect(await names(db, WRANGLER_MIGRATIONS_TABLE)).toEqual(['0001_a.sql', '0002_b.sql']);
    expect(await migrateD1(db, MIGRATIONS)).toEqual([]);
    expect(await db.all('SELECT x FROM a')).toEqual([{ x: 1 }]);
  });

  it('skips what wrangler applied before, and applies the rest', async () => {
    await wranglerApply(db, MIGRATIONS[0]);
    expect(await migrateD1(db, MIGRATIONS)).toEqual(['0002_b.sql']);
    expect(await names(db, '_migrations')).toEqual(['0001_a.sql', '0002_b.sql']);
    expect(await db.all('SELECT x FROM a')).toEqual([{ x: 1 }]);
  });

  it('leaves wrangler nothing to apply afterwards', async () => {
    await migrateD1(db, MIGRATIONS.slice(0, 1));
    const recorded = await names(db, WRANGLER_MIGRATIONS_TABLE);
    expect(MIGRATIONS.map((m) => m.name).filter((n) => !recorded.includes(n))).toEqual(['0002_b.sql']);
  });

  it('lets two isolates starting together both succeed, applying each migration once', async () => {
    const [first, second] = await Promise.all([migrateD1(db, MIGRATIONS), migrateD1(db, MIGRATIONS)]);
    expect([...first, ...second].sort()).toEqual(['0001_a.sql', '0002_b.sql']);
    expect(await db.all('SELECT x FROM a')).toEqual([{ x: 1 }]);
  });

  it('reports a migration that cannot apply', async () => {
    await expect(migrateD1(db, [{ name: '0001_bad.sql', sql: 'CREATE TABLE nope (' }])).rejects.toMatchObject({
      code: 'internal',
    });
    expect(await names(db, '_migrations')).toEqual([]);
  });
});
