import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCheckpointer } from './sqlite-checkpointer';
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
    const db = openSqlite(file, { backgroundCheckpoints: true });
    expect(await db.first('PRAGMA wal_autocheckpoint')).toEqual({ wal_autocheckpoint: 0 });
    await db.run('CREATE TABLE t (x TEXT)');
    const before = statSync(file).size;
    // ~2.5 MB of rows: past the 1,000-page point where a commit would checkpoint by itself.
    const payload = 'x'.repeat(1000);
    for (let i = 0; i < 5; i++) await db.batch(Array.from({ length: 500 }, () => ({ sql: 'INSERT INTO t VALUES (?)', params: [payload] })));
    expect(await until(() => statSync(file).size > before + 2_000_000, 10_000)).toBe(true);
    expect(await db.first('SELECT COUNT(*) AS n FROM t')).toEqual({ n: 2500 });
    await db.close();
  });

  it('reports a thread that cannot start', async () => {
    const failure = await new Promise<Error>((resolve) => {
      startCheckpointer(path.join(dir, 'missing.db'), resolve, 20);
    });
    expect(failure.message).toMatch(/unable to open|does not exist|no such file/i);
  });
});
