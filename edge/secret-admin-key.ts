/**
 * The admin key of a deployment with no console to print a first-start key to (Cloudflare Workers):
 * the operator chooses it and stores it as a secret (`wrangler secret put ADMIN_KEY`), and each
 * isolate makes `api_keys` agree with the secret when it starts. Only the hash is stored, as for
 * every key, so the same KeyStore verifies it.
 */
import { FlywheelError } from '../core/errors';
import { sha256Hex } from '../core/hash';
import type { SqlDatabase } from './store/sql';
import { isUniqueViolation } from './store/sql-error';

/** The row holding the secret's hash: one fixed id, so a new secret replaces the old key instead of adding one. */
export const SECRET_ADMIN_KEY_ID = 'key_admin_secret';
/** Shorter secrets are refused: an admin key must not be guessable (`openssl rand -base64 32` gives 44 characters). */
export const MIN_SECRET_ADMIN_KEY_LENGTH = 24;

/**
 * Makes the secret the source of truth for the admin key: with a secret, its hash is the active
 * admin key `SECRET_ADMIN_KEY_ID` (a changed secret replaces the old hash; an unchanged one writes
 * nothing); without one, that key is revoked, so deleting the secret closes admin access. It is one
 * idempotent statement (one D1 round trip per isolate start), safe from many isolates at once.
 * Throws `bad_input` for a secret shorter than MIN_SECRET_ADMIN_KEY_LENGTH and `conflict` when
 * another key already has the secret's value; nothing is changed then.
 */
export async function syncSecretAdminKey(
  db: SqlDatabase,
  secret: string | undefined,
  now: () => number,
): Promise<void> {
  const at = new Date(now()).toISOString();
  if (!secret) {
    await db.run('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [at, SECRET_ADMIN_KEY_ID]);
    return;
  }
  if (secret.length < MIN_SECRET_ADMIN_KEY_LENGTH) {
    throw new FlywheelError(
      'bad_input',
      `the ADMIN_KEY secret is ${secret.length} characters; use at least ${MIN_SECRET_ADMIN_KEY_LENGTH} (e.g. \`openssl rand -base64 32\`)`,
      [{ path: 'ADMIN_KEY', message: 'too short' }],
    );
  }
  try {
    await db.run(
      `INSERT INTO api_keys (id, hash, scope, name, created_at) VALUES (?, ?, 'admin', 'ADMIN_KEY secret', ?)
       ON CONFLICT (id) DO UPDATE SET hash = excluded.hash, scope = 'admin', created_at = excluded.created_at, revoked_at = NULL
       WHERE api_keys.hash <> excluded.hash OR api_keys.revoked_at IS NOT NULL`,
      [SECRET_ADMIN_KEY_ID, await sha256Hex(secret), at],
    );
  } catch (e) {
    // The upsert handles a clash on the id; a clash on the hash means another key has this value.
    if (!isUniqueViolation(e)) throw e;
    throw new FlywheelError('conflict', 'the ADMIN_KEY secret is the value of another API key; choose a new secret', [
      { path: 'ADMIN_KEY', message: 'already a key' },
    ]);
  }
}
