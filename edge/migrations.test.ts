/** Migration 0005 on a database that already holds a prediction log and feedback. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { migrate, openSqlite, readMigrations } from './store';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

describe('migration 0005 (feedback keyed by model)', () => {
  it('keeps every logged row and label, and lets two models log the same request id', async () => {
    const all = await readMigrations(dir);
    const db = openSqlite(':memory:');
    await migrate(
      db,
      all.filter((m) => m.name < '0005'),
    );
    await db.run(
      "INSERT INTO predictions (request_id, model, version, at, prediction, features) VALUES ('r1', 'a', 1, 10, '{\"value\":1}', '{}'), ('r2', 'a', 1, 11, '{\"value\":2}', '{}')",
    );
    await db.run(
      "INSERT INTO feedback (request_id, model, version, at, label, correct, abs_error, sq_error) VALUES ('r1', 'a', 1, 12, '1.5', NULL, 0.5, 0.25)",
    );
    expect(await migrate(db, all)).toContain('0005_keyed_feedback.sql');
    expect(await db.all('SELECT request_id, model, at FROM predictions ORDER BY request_id')).toEqual([
      { request_id: 'r1', model: 'a', at: 10 },
      { request_id: 'r2', model: 'a', at: 11 },
    ]);
    expect(await db.all('SELECT request_id, model, label, abs_error FROM feedback')).toEqual([
      { request_id: 'r1', model: 'a', label: '1.5', abs_error: 0.5 },
    ]);
    expect(
      (
        await db.run(
          "INSERT OR IGNORE INTO predictions (request_id, model, version, at, prediction, features) VALUES ('r1', 'b', 1, 13, '{}', '{}')",
        )
      ).changes,
    ).toBe(1);
    expect(
      (
        await db.run(
          "INSERT OR IGNORE INTO predictions (request_id, model, version, at, prediction, features) VALUES ('r1', 'a', 1, 13, '{}', '{}')",
        )
      ).changes,
    ).toBe(0);
    expect(
      await db.all("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'feedback_by_time'"),
    ).toHaveLength(1);
    await db.close();
  });
});
