import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Monitor } from './monitor';
import type { LoadedVersion } from './serving';
import { migrate, openSqlite, readMigrations, type SqlDatabase, type SqliteDatabase } from './store';

const MINUTE = 60_000;
const loaded = { manifest: { baseline: { columns: [] } } } as unknown as LoadedVersion;

const dir = mkdtempSync(path.join(tmpdir(), 'flywheel-monitor-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

/** In memory (rollups go through `batch`, as on D1), or a file with Node's SQLite thread (JSON made there). */
async function database(thread: boolean): Promise<SqliteDatabase> {
  const db = thread ? openSqlite(path.join(dir, `t${files++}.db`), { backgroundThread: true }) : openSqlite(':memory:');
  expect(db.rows.offThread).toBe(thread);
  await migrate(db, await readMigrations(path.join(import.meta.dirname, 'migrations')));
  return db;
}

function serve(monitor: Monitor, count: number, status = 200): void {
  for (let i = 0; i < count; i++)
    monitor.observe({ model: 'm', version: 1, latencyMs: 2, rows: 1, status, loaded, served: null });
}

const rows = async (db: SqlDatabase) => (await db.first<{ n: number }>('SELECT COUNT(*) AS n FROM telemetry'))!.n;
const requests = async (monitor: Monitor, since = 0) => (await monitor.versionStats('m', since)).get(1)?.requests;

describe.each([
  ['batch', false],
  ['the SQLite thread', true],
] as const)('Monitor writing through %s: one telemetry row per writer and minute', (_writes, thread) => {
  it('each flush rewrites the minute with its total so far; a new minute gets a new row', async () => {
    const db = await database(thread);
    let now = 10 * MINUTE + 5_000;
    const monitor = new Monitor(db, db.rows, () => now, 'test', 'writer-a');
    serve(monitor, 3);
    await monitor.flush();
    serve(monitor, 2, 500);
    await monitor.flush();
    expect(await rows(db)).toBe(1);
    expect(await requests(monitor)).toBe(5);
    expect((await monitor.versionStats('m', 0)).get(1)?.errorRate).toBeCloseTo(2 / 5);
    now += MINUTE;
    serve(monitor, 4);
    await monitor.flush();
    expect(await rows(db)).toBe(2);
    expect(await requests(monitor)).toBe(9);
    await db.close();
  });

  it('another writer keeps its own row; the same writer after a restart adds to its row', async () => {
    const db = await database(thread);
    const now = 20 * MINUTE;
    const a = new Monitor(db, db.rows, () => now, 'test', 'writer-a');
    serve(a, 3);
    await a.flush();
    const b = new Monitor(db, db.rows, () => now, 'test', 'writer-b');
    serve(b, 2);
    await b.flush();
    expect(await rows(db)).toBe(2);
    // A fresh Monitor under writer-a's name has nothing in memory: it reads its row back and adds to it.
    const again = new Monitor(db, db.rows, () => now, 'test', 'writer-a');
    serve(again, 4);
    await again.flush();
    expect(await rows(db)).toBe(2);
    expect(await requests(again)).toBe(9);
    await db.close();
  });

  it('a failed write keeps what it had and writes it with the next flush', async () => {
    const db = await database(thread);
    const now = 30 * MINUTE;
    const monitor = new Monitor(db, db.rows, () => now, 'test', 'writer-a');
    serve(monitor, 2);
    await monitor.flush();
    serve(monitor, 3);
    await db.run('ALTER TABLE telemetry RENAME TO telemetry_away');
    await expect(monitor.flush()).rejects.toMatchObject({ name: 'SqlError' });
    await db.run('ALTER TABLE telemetry_away RENAME TO telemetry');
    serve(monitor, 1);
    await monitor.flush();
    expect(await rows(db)).toBe(1);
    expect(await requests(monitor)).toBe(6);
    await db.close();
  });

  it('reads a row back only when it may exist: never for a new minute, and for a late request to an evicted one', async () => {
    const db = await database(thread);
    let reads = 0;
    const counting: SqlDatabase = {
      ...db,
      first: (sql, params) => {
        if (sql.includes('FROM telemetry')) reads++;
        return db.first(sql, params);
      },
    };
    let now = 40 * MINUTE;
    const monitor = new Monitor(counting, db.rows, () => now, 'test', 'writer-a');
    now += MINUTE;
    serve(monitor, 2);
    await monitor.flush();
    expect(reads).toBe(0);
    now += 3 * MINUTE;
    serve(monitor, 1);
    await monitor.flush();
    expect(reads).toBe(0);
    // A request stamped with the evicted minute (a clock step back, say) adds to that minute's row.
    now = 41 * MINUTE + 30_000;
    serve(monitor, 4);
    await monitor.flush();
    expect(reads).toBe(1);
    expect(await rows(db)).toBe(2);
    // Minute 41 holds 2 + 4 (the clock is back there, so minute 44 is still in the future).
    expect(await requests(monitor, 41 * MINUTE)).toBe(6);
    const minute41 = await db.first<{ rollup: string }>('SELECT rollup FROM telemetry WHERE minute = ?', [41 * MINUTE]);
    expect(JSON.parse(minute41!.rollup).requests).toBe(6);
    await db.close();
  });
});
