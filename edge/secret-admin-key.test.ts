import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { KeyStore } from './keys';
import { SECRET_ADMIN_KEY_ID, syncSecretAdminKey } from './secret-admin-key';
import { migrate, openSqlite, readMigrations, type SqlDatabase } from './store';

const migrations = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
const SECRET = 'a-secret-admin-key-of-32-chars!!';
const OTHER = 'another-secret-admin-key-32-char';

describe('syncSecretAdminKey', () => {
  let db: SqlDatabase;
  let clock = 0;
  const now = () => clock;
  // A fresh KeyStore per check: the store caches verdicts, and each isolate starts with an empty cache.
  const scopeOf = (key: string) => new KeyStore(db, now).verify(key);
  const row = () =>
    db.first<{ created_at: string; revoked_at: string | null }>(
      'SELECT created_at, revoked_at FROM api_keys WHERE id = ?',
      [SECRET_ADMIN_KEY_ID],
    );

  beforeEach(async () => {
    db = openSqlite(':memory:');
    await migrate(db, await readMigrations(migrations));
    clock = Date.UTC(2026, 0, 1);
  });

  it('makes the secret an admin key, and writes nothing when it is unchanged', async () => {
    await syncSecretAdminKey(db, SECRET, now);
    expect(await scopeOf(SECRET)).toBe('admin');
    const first = await row();
    clock += 60_000;
    await syncSecretAdminKey(db, SECRET, now);
    expect(await row()).toEqual(first);
    expect((await new KeyStore(db, now).list()).filter((k) => k.id === SECRET_ADMIN_KEY_ID)).toHaveLength(1);
  });

  it('replaces the old key when the secret changes', async () => {
    await syncSecretAdminKey(db, SECRET, now);
    await syncSecretAdminKey(db, OTHER, now);
    expect(await scopeOf(SECRET)).toBeNull();
    expect(await scopeOf(OTHER)).toBe('admin');
    expect(await db.first('SELECT COUNT(*) AS n FROM api_keys')).toEqual({ n: 1 });
  });

  it('revokes the key when the secret is removed, and restores it when it is set again', async () => {
    await syncSecretAdminKey(db, SECRET, now);
    await syncSecretAdminKey(db, undefined, now);
    expect(await scopeOf(SECRET)).toBeNull();
    expect((await row())!.revoked_at).not.toBeNull();
    await syncSecretAdminKey(db, SECRET, now);
    expect(await scopeOf(SECRET)).toBe('admin');
  });

  it('refuses a short secret and one that is already another key, changing nothing', async () => {
    await expect(syncSecretAdminKey(db, 'short', now)).rejects.toMatchObject({ code: 'bad_input' });
    const existing = await new KeyStore(db, now).create('predict');
    await expect(syncSecretAdminKey(db, existing.key, now)).rejects.toMatchObject({ code: 'conflict' });
    expect(await row()).toBeNull();
    expect(await scopeOf(existing.key)).toBe('predict');
  });

  it('leaves keys made through the API alone', async () => {
    const made = await new KeyStore(db, now).create('admin', 'made by hand');
    await syncSecretAdminKey(db, undefined, now);
    expect(await scopeOf(made.key)).toBe('admin');
  });
});
