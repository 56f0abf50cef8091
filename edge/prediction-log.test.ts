import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EAGER_HANDOFF_ROWS, PredictionLog } from './prediction-log';
import { migrate, openSqlite, readMigrations, type RowSink, type SqliteDatabase } from './store';
import { SLICE_ROWS } from './store/row-sink';

const dir = mkdtempSync(path.join(tmpdir(), 'flywheel-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const migrations = readMigrations(path.join(import.meta.dirname, 'migrations'));
let n = 0;

async function database(backgroundThread: boolean): Promise<SqliteDatabase> {
  const db = openSqlite(path.join(dir, `log-${n++}.db`), { backgroundThread });
  await migrate(db, await migrations);
  return db;
}

const entry = (i: number) => ({
  requestId: `req-${i}`,
  model: 'm',
  version: 1,
  at: 1000 + i,
  prediction: { value: i / 2 },
  features: { x: i, c: 'a' },
});

describe.each([
  ['sliced transactions on the serving connection', false],
  ['the background thread', true],
])('the prediction log through %s', (_label, backgroundThread) => {
  it('writes every buffered row once, features and prediction as JSON', async () => {
    const db = await database(backgroundThread);
    const log = new PredictionLog(db.rows);
    const count = SLICE_ROWS * 2 + 5;
    for (let i = 0; i < count; i++) log.push(entry(i));
    log.push({ ...entry(count), featuresJson: ' {"x": 1.50, "c": "b"} ' });
    expect(log.pending).toBe(count + 1);
    await log.flush();
    expect(log.pending).toBe(0);
    expect(await db.first('SELECT COUNT(*) AS n FROM predictions')).toEqual({ n: count + 1 });
    const row = await db.first<{ prediction: string; features: string; at: number }>(
      'SELECT prediction, features, at FROM predictions WHERE request_id = ?',
      ['req-7'],
    );
    expect({ prediction: JSON.parse(row!.prediction), features: JSON.parse(row!.features), at: row!.at }).toEqual({
      prediction: { value: 3.5 },
      features: { x: 7, c: 'a' },
      at: 1007,
    });
    const sent = await db.first<{ features: string }>('SELECT features FROM predictions WHERE request_id = ?', [
      `req-${count}`,
    ]);
    expect(sent!.features).toBe(' {"x": 1.50, "c": "b"} ');
    await db.close();
  });

  it('a flush resolves only after the flushes before it, with their rows written', async () => {
    const db = await database(backgroundThread);
    const log = new PredictionLog(db.rows);
    for (let i = 0; i < 500; i++) log.push(entry(i));
    const first = log.flush();
    log.push(entry(500));
    await log.flush();
    expect(await db.first('SELECT COUNT(*) AS n FROM predictions')).toEqual({ n: 501 });
    await first;
    await db.close();
  });

  it('keeps the rows of a failed write and writes them on the next flush', async () => {
    const db = await database(backgroundThread);
    await db.run('ALTER TABLE predictions RENAME TO predictions_away');
    const log = new PredictionLog(db.rows);
    // Fewer than start a handoff by themselves, so only the flushes below write.
    const count = EAGER_HANDOFF_ROWS - 2;
    for (let i = 0; i < count; i++) log.push(entry(i));
    await expect(log.flush()).rejects.toMatchObject({ name: 'SqlError' });
    expect(log.pending).toBe(count);
    log.push(entry(count));
    await db.run('ALTER TABLE predictions_away RENAME TO predictions');
    await log.flush();
    expect(await db.first('SELECT COUNT(*) AS n FROM predictions')).toEqual({ n: count + 1 });
    await db.close();
  });
});

describe('with a background writer', () => {
  it('hands rows over as soon as there are enough for one message, without waiting for a flush', async () => {
    const db = await database(true);
    const log = new PredictionLog(db.rows);
    for (let i = 0; i < EAGER_HANDOFF_ROWS - 1; i++) log.push(entry(i));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(log.pending).toBe(EAGER_HANDOFF_ROWS - 1);
    log.push(entry(EAGER_HANDOFF_ROWS));
    const end = Date.now() + 5000;
    // The writer's acknowledgement can arrive after its rows are readable: `pending` counts rows until then.
    while (
      Date.now() < end &&
      ((await db.first<{ n: number }>('SELECT COUNT(*) AS n FROM predictions'))!.n < EAGER_HANDOFF_ROWS ||
        log.pending > 0)
    )
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await db.first('SELECT COUNT(*) AS n FROM predictions')).toEqual({ n: EAGER_HANDOFF_ROWS });
    expect(log.pending).toBe(0);
    await db.close();
  });
});

describe('a log that falls behind', () => {
  it('drops and counts rows past its limit instead of growing without bound, and takes rows again once written', async () => {
    const db = await database(false);
    const log = new PredictionLog(db.rows, { maxBufferedRows: 10 });
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args.join(' '));
    try {
      for (let i = 0; i < 25; i++) log.push(entry(i));
    } finally {
      console.error = original;
    }
    expect({ pending: log.pending, dropped: log.dropped }).toEqual({ pending: 10, dropped: 15 });
    expect(String(errors[0])).toMatch(/prediction log is 10 rows behind; dropping rows/);
    await log.flush();
    log.push(entry(99));
    expect(log.pending).toBe(1);
    await log.flush();
    expect(await db.first('SELECT COUNT(*) AS n FROM predictions')).toEqual({ n: 11 });
    await db.close();
  });
});

describe('a log whose writes fail', () => {
  it('stops handing rows over eagerly until a write succeeds, and keeps at most its limit', async () => {
    const db = await database(true);
    let calls = 0;
    let down = true;
    const flaky: RowSink = {
      offThread: true,
      write: async (insert, rows) => {
        calls++;
        if (down) throw new Error('disk full');
        return db.rows.write(insert, rows);
      },
    };
    const log = new PredictionLog(flaky, { maxBufferedRows: EAGER_HANDOFF_ROWS * 2 });
    const settle = () => new Promise((resolve) => setTimeout(resolve, 30));
    const quiet = console.error;
    console.error = () => {};
    try {
      for (let i = 0; i < EAGER_HANDOFF_ROWS; i++) log.push(entry(i));
      await settle();
      expect(calls).toBe(1);
      for (let i = 0; i < EAGER_HANDOFF_ROWS * 2; i++) log.push(entry(1000 + i));
      await settle();
      // No second eager handoff while failing; rows past the limit were dropped.
      expect(calls).toBe(1);
      expect({ pending: log.pending, dropped: log.dropped }).toEqual({
        pending: EAGER_HANDOFF_ROWS * 2,
        dropped: EAGER_HANDOFF_ROWS,
      });
      down = false;
      await log.flush();
      expect(await db.first('SELECT COUNT(*) AS n FROM predictions')).toEqual({ n: EAGER_HANDOFF_ROWS * 2 });
      for (let i = 0; i < EAGER_HANDOFF_ROWS; i++) log.push(entry(5000 + i));
      // Handed over eagerly again: written without a flush, however long the write takes on a busy machine.
      const end = Date.now() + 5000;
      while (Date.now() < end && log.pending > 0) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(log.pending).toBe(0);
    } finally {
      console.error = quiet;
      await db.close();
    }
  });
});
