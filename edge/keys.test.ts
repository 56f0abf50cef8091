import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { KEY_CACHE_SIZE, KeyStore } from './keys';
import { migrate, openSqlite, readMigrations, type SqlDatabase } from './store';

const migrations = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

describe('KeyStore', () => {
  let db: SqlDatabase;
  const now = () => Date.UTC(2026, 0, 1);

  beforeEach(async () => {
    db = openSqlite(':memory:');
    await migrate(db, await readMigrations(migrations));
  });

  it('refuses a revoked key at once, even when a check of it was reading the database as it was revoked', async () => {
    // The real database, with its reads held until released: the check reads the key as valid, the
    // revocation commits, and only then does the check go on to cache what it read.
    let release: () => void = () => {};
    let held = false;
    const slow: SqlDatabase = {
      ...db,
      run: (sql, params) => db.run(sql, params),
      all: (sql, params) => db.all(sql, params),
      batch: (statements) => db.batch(statements),
      close: () => db.close(),
      first: async (sql, params) => {
        const row = await db.first(sql, params);
        if (held) await new Promise<void>((resolve) => (release = resolve));
        return row as never;
      },
    };
    const keys = new KeyStore(slow, now);
    const { id, key } = await keys.create('predict');
    held = true;
    const checking = keys.verify(key);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await keys.revoke(id);
    held = false;
    release();
    await checking;
    expect(await keys.verify(key)).toBeNull();
  });

  it('refuses a key revoked by this process after it was cached', async () => {
    const keys = new KeyStore(db, now);
    const { id, key } = await keys.create('publish');
    expect(await keys.verify(key)).toBe('publish');
    await keys.revoke(id);
    expect(await keys.verify(key)).toBeNull();
  });

  it('answers valid keys past the cache size, evicting the least recently used', async () => {
    const keys = new KeyStore(db, now);
    const created = [];
    for (let i = 0; i < KEY_CACHE_SIZE + 5; i++) created.push(await keys.create('predict'));
    for (const k of created) expect(await keys.verify(k.key)).toBe('predict');
    expect(await keys.verify(created[0].key)).toBe('predict');
  });
});
