import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FlywheelError } from '../../core/errors';
import { migrate } from './migrate';
import { readMigrations } from './node-migrations';
import { openSqlite } from './sqlite';

const dir = mkdtempSync(path.join(tmpdir(), 'flywheel-migrations-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readMigrations', () => {
  it('reads the *.sql files of a folder, sorted by name, ignoring other files', async () => {
    writeFileSync(path.join(dir, '0002_b.sql'), 'CREATE TABLE b (x);');
    writeFileSync(path.join(dir, '0001_a.sql'), 'CREATE TABLE a (x);');
    writeFileSync(path.join(dir, 'README.md'), '# not a migration');
    writeFileSync(path.join(dir, '0003_c.sql~'), 'CREATE TABLE c (x);');
    const migrations = await readMigrations(dir);
    expect(migrations).toEqual([
      { name: '0001_a.sql', sql: 'CREATE TABLE a (x);' },
      { name: '0002_b.sql', sql: 'CREATE TABLE b (x);' },
    ]);
    const db = openSqlite(':memory:');
    expect(await migrate(db, migrations)).toEqual(['0001_a.sql', '0002_b.sql']);
    await db.close();
  });

  it('a missing folder is a not_found error naming it', async () => {
    const missing = path.join(dir, 'nope');
    const err = await readMigrations(missing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlywheelError);
    expect((err as FlywheelError).code).toBe('not_found');
    expect((err as FlywheelError).message).toContain(missing);
  });
});
