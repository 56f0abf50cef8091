import { describe, expect, it } from 'vitest';
import { FlywheelError } from '../../core/errors';
import { migrate, type Migration } from './migrate';
import { openSqlite } from './sqlite';

const INIT: Migration = {
  name: '0001_init.sql',
  sql: `CREATE TABLE models (name TEXT PRIMARY KEY, created_at TEXT NOT NULL);
CREATE TABLE versions (model TEXT NOT NULL REFERENCES models(name), v INTEGER NOT NULL, PRIMARY KEY (model, v));
INSERT INTO models VALUES ('seed; model', '2024-01-01');`,
};
const AUDIT: Migration = {
  name: '0002_audit.sql',
  sql: `CREATE TABLE events (model TEXT, kind TEXT);
CREATE TRIGGER versions_audit AFTER INSERT ON versions BEGIN
  INSERT INTO events VALUES (new.model, 'publish');
END;`,
};

async function tables(db: ReturnType<typeof openSqlite>): Promise<string[]> {
  const rows = await db.all<{ name: string }>(
    "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') ORDER BY name",
  );
  return rows.map((r) => r.name);
}

describe('migrate', () => {
  it('applies pending migrations in name order and records them', async () => {
    const db = openSqlite(':memory:');
    // Given out of order: 0002 refers to a table 0001 creates.
    expect(await migrate(db, [AUDIT, INIT])).toEqual(['0001_init.sql', '0002_audit.sql']);
    expect(await tables(db)).toEqual(['_migrations', 'events', 'models', 'versions', 'versions_audit']);
    expect(await db.all('SELECT name FROM _migrations ORDER BY name')).toEqual([
      { name: '0001_init.sql' },
      { name: '0002_audit.sql' },
    ]);
    const { applied_at } = (await db.first<{ applied_at: string }>('SELECT applied_at FROM _migrations LIMIT 1'))!;
    expect(applied_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    await db.run('INSERT INTO versions VALUES (?, ?)', ['seed; model', 1]);
    expect(await db.all('SELECT * FROM events')).toEqual([{ model: 'seed; model', kind: 'publish' }]);
    await db.close();
  });

  it('is idempotent: a second run applies nothing and only new migrations later', async () => {
    const db = openSqlite(':memory:');
    await migrate(db, [INIT]);
    expect(await migrate(db, [INIT])).toEqual([]);
    expect(await db.all('SELECT name FROM models')).toEqual([{ name: 'seed; model' }]);
    expect(await migrate(db, [INIT, AUDIT])).toEqual(['0002_audit.sql']);
    await db.close();
  });

  it('a failing migration leaves nothing of itself behind and stops later ones', async () => {
    const db = openSqlite(':memory:');
    const broken: Migration = {
      name: '0002_broken.sql',
      sql: `CREATE TABLE half (x INTEGER);
INSERT INTO half VALUES (1);
INSERT INTO models VALUES ('seed; model', 'duplicate');`,
    };
    const later: Migration = { name: '0003_later.sql', sql: 'CREATE TABLE later (x INTEGER);' };
    const err = await migrate(db, [INIT, broken, later]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlywheelError);
    expect((err as FlywheelError).message).toMatch(/0002_broken\.sql.*UNIQUE constraint failed/);
    expect(await tables(db)).toEqual(['_migrations', 'models', 'versions']);
    expect(await db.all('SELECT name FROM _migrations')).toEqual([{ name: '0001_init.sql' }]);
    expect(await db.all('SELECT created_at FROM models')).toEqual([{ created_at: '2024-01-01' }]);
    // Fixed, it applies on the next run.
    const fixed = { ...broken, sql: broken.sql.replace(/INSERT INTO models.*$/, '') };
    expect(await migrate(db, [INIT, fixed, later])).toEqual(['0002_broken.sql', '0003_later.sql']);
    await db.close();
  });

  it('refuses transaction statements and duplicate names before touching the database', async () => {
    const db = openSqlite(':memory:');
    const tx: Migration = { name: '0001_tx.sql', sql: 'BEGIN TRANSACTION;\nCREATE TABLE x (a);\nCOMMIT;' };
    await expect(migrate(db, [tx])).rejects.toThrow(/0001_tx\.sql: statement 1 controls the transaction/);
    expect(await tables(db)).toEqual(['_migrations']);
    await expect(migrate(db, [INIT, { ...INIT }])).rejects.toThrow(/two migrations are named 0001_init\.sql/);
    await db.close();
  });
});
