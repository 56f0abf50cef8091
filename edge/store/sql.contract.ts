/**
 * The SQL port's contract: one suite, registered once per adapter (SQLite file, SQLite in memory,
 * D1 on workerd), so repositories can rely on exactly these behaviours everywhere.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SqlDatabase } from './sql';
import { isConstraintViolation, isUniqueViolation } from './sql-error';

export function sqlContract(name: string, open: () => Promise<SqlDatabase>): void {
  describe(`SqlDatabase contract: ${name}`, () => {
    let db: SqlDatabase;
    beforeEach(async () => {
      db = await open();
      await db.run(
        'CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, score REAL, note TEXT, data BLOB)',
      );
    });
    afterEach(async () => {
      await db.close();
    });

    it('run reports rows changed by insert, update and delete', async () => {
      expect(await db.run('INSERT INTO items (name) VALUES (?)', ['a'])).toEqual({ changes: 1 });
      await db.run('INSERT INTO items (name) VALUES (?), (?)', ['b', 'c']);
      expect(await db.run('UPDATE items SET score = ? WHERE name <> ?', [1.5, 'a'])).toEqual({ changes: 2 });
      expect(await db.run('DELETE FROM items WHERE name = ?', ['missing'])).toEqual({ changes: 0 });
      expect(await db.run('DELETE FROM items')).toEqual({ changes: 3 });
    });

    it('all returns rows in query order and [] when none match', async () => {
      await db.run('INSERT INTO items (id, name) VALUES (?, ?), (?, ?), (?, ?)', [3, 'c', 1, 'a', 2, 'b']);
      expect(await db.all('SELECT id, name FROM items ORDER BY id DESC')).toEqual([
        { id: 3, name: 'c' },
        { id: 2, name: 'b' },
        { id: 1, name: 'a' },
      ]);
      expect(await db.all('SELECT * FROM items WHERE id > ?', [10])).toEqual([]);
    });

    it('first returns the first row or null', async () => {
      await db.run('INSERT INTO items (id, name) VALUES (1, ?), (2, ?)', ['a', 'b']);
      expect(await db.first<{ name: string }>('SELECT name FROM items ORDER BY id')).toEqual({ name: 'a' });
      expect(await db.first('SELECT name FROM items WHERE id = ?', [99])).toBeNull();
    });

    it('binds and returns strings, integers, floats, null and blobs unchanged', async () => {
      const blob = new Uint8Array([0, 1, 127, 128, 255]);
      const text = 'naïve — 🐧 \'quoted\' ; "x"';
      await db.run('INSERT INTO items (id, name, score, note, data) VALUES (?, ?, ?, ?, ?)', [
        Number.MAX_SAFE_INTEGER,
        text,
        -0.125,
        null,
        blob,
      ]);
      const row = await db.first<{ id: number; name: string; score: number; note: null; data: Uint8Array }>(
        'SELECT * FROM items',
      );
      expect(row).not.toBeNull();
      expect(row!.id).toBe(Number.MAX_SAFE_INTEGER);
      expect(row!.name).toBe(text);
      expect(row!.score).toBe(-0.125);
      expect(row!.note).toBeNull();
      expect(row!.data).toBeInstanceOf(Uint8Array);
      expect(Array.from(row!.data)).toEqual(Array.from(blob));
      expect(await db.first('SELECT id FROM items WHERE note IS ? AND data = ?', [null, blob])).toEqual({
        id: Number.MAX_SAFE_INTEGER,
      });
    });

    it('a UNIQUE violation fails with a constraint code', async () => {
      await db.run('INSERT INTO items (name) VALUES (?)', ['a']);
      const err = await db.run('INSERT INTO items (name) VALUES (?)', ['a']).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as { code: string }).code).toContain('CONSTRAINT');
      expect(isUniqueViolation(err)).toBe(true);
    });

    it('enforces foreign keys', async () => {
      await db.run('CREATE TABLE tags (item_id INTEGER NOT NULL REFERENCES items(id), tag TEXT)');
      const err = await db.run('INSERT INTO tags (item_id, tag) VALUES (?, ?)', [42, 'x']).catch((e: unknown) => e);
      expect(isConstraintViolation(err)).toBe(true);
      expect(isUniqueViolation(err)).toBe(false);
    });

    it('batch applies every statement, in order, and reports changes per statement', async () => {
      const result = await db.batch([
        { sql: 'INSERT INTO items (id, name) VALUES (?, ?)', params: [1, 'a'] },
        { sql: 'INSERT INTO items (id, name) SELECT id + 1, name || ? FROM items', params: ['2'] },
        { sql: 'UPDATE items SET score = 1' },
      ]);
      expect(result).toEqual([{ changes: 1 }, { changes: 1 }, { changes: 2 }]);
      expect(await db.all('SELECT id, name, score FROM items ORDER BY id')).toEqual([
        { id: 1, name: 'a', score: 1 },
        { id: 2, name: 'a2', score: 1 },
      ]);
      expect(await db.batch([])).toEqual([]);
    });

    it('a batch whose second statement violates UNIQUE changes nothing', async () => {
      await db.run('INSERT INTO items (id, name) VALUES (1, ?)', ['taken']);
      const err = await db
        .batch([
          { sql: 'INSERT INTO items (id, name) VALUES (2, ?)', params: ['fresh'] },
          { sql: 'INSERT INTO items (id, name) VALUES (3, ?)', params: ['taken'] },
          { sql: 'UPDATE items SET score = 9' },
        ])
        .catch((e: unknown) => e);
      expect(isUniqueViolation(err)).toBe(true);
      expect(await db.all('SELECT id, name, score FROM items')).toEqual([{ id: 1, name: 'taken', score: null }]);
      // The connection is usable after the rollback.
      expect(await db.batch([{ sql: 'INSERT INTO items (id, name) VALUES (2, ?)', params: ['fresh'] }])).toEqual([
        { changes: 1 },
      ]);
    });

    it('a batch can create a table and use it (DDL is transactional)', async () => {
      const err = await db
        .batch([
          { sql: 'CREATE TABLE extra (x INTEGER)' },
          { sql: 'INSERT INTO extra (x) VALUES (1)' },
          { sql: 'INSERT INTO nowhere VALUES (1)' },
        ])
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect(await db.first("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'extra'")).toBeNull();
    });
  });
}
