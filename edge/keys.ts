/**
 * API keys: random secrets shown once, stored only as sha256 hashes, each with one scope.
 * admin implies publish, predict and feedback; publish implies predict; predict implies feedback. A
 * `feedback` key (for a labelling service) may only send ground truth.
 */
import type { KeyInfo, Scope } from '../core/api/contract';
import { FlywheelError } from '../core/errors';
import { sha256Hex } from '../core/hash';
import { LRUCache } from 'lru-cache';
import type { SqlDatabase } from './store/sql';

/**
 * Verified keys are remembered this long, so a busy predict path does not query SQL per request. A
 * key revoked by this process stops at once; one revoked elsewhere (`flywheel keys revoke` beside a
 * running server, another Workers isolate) stops within this time.
 */
const KEY_CACHE_MS = 10_000;
/** Valid keys remembered at most: a deployment has tens of keys, and the limit bounds memory whatever arrives. */
export const KEY_CACHE_SIZE = 1_000;
const RANK: Record<Scope, number> = { feedback: 0, predict: 1, publish: 2, admin: 3 };

export function scopeAllows(have: Scope, need: Scope): boolean {
  return RANK[have] >= RANK[need];
}

function randomToken(bytes: number): string {
  const b = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...b))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

export class KeyStore {
  /** Keys that exist, by hash; a key that does not is never stored, so bogus keys cost no memory. */
  private readonly cache = new LRUCache<string, { scope: Scope; until: number }>({ max: KEY_CACHE_SIZE });
  /** Bumped by each revocation: a lookup that started before one does not cache what it read. */
  private revocations = 0;

  /**
   * With `ignoreUnknownKeys`, a bearer key that is unknown or revoked leaves a request anonymous
   * instead of refusing it (edge/http.ts `scopeOf`): for an edge nobody holds keys to.
   */
  constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => number,
    readonly ignoresUnknown = false,
  ) {}

  /** Creates a key and returns its secret: the only time the secret exists outside the caller. */
  async create(scope: Scope, name: string | null = null): Promise<{ id: string; key: string; scope: Scope }> {
    const key = `fw_${scope}_${randomToken(24)}`;
    const id = `key_${randomToken(6)}`;
    await this.db.run('INSERT INTO api_keys (id, hash, scope, name, created_at) VALUES (?, ?, ?, ?, ?)', [
      id,
      await sha256Hex(key),
      scope,
      name,
      new Date(this.now()).toISOString(),
    ]);
    return { id, key, scope };
  }

  /** The scope of a presented key, or null when it is unknown or revoked. */
  async verify(key: string): Promise<Scope | null> {
    const hash = await sha256Hex(key);
    const hit = this.cache.get(hash);
    if (hit && hit.until > this.now()) return hit.scope;
    const revocations = this.revocations;
    const row = await this.db.first<{ scope: Scope }>(
      'SELECT scope FROM api_keys WHERE hash = ? AND revoked_at IS NULL',
      [hash],
    );
    if (!row) {
      this.cache.delete(hash);
      return null;
    }
    if (revocations !== this.revocations) return this.verify(key);
    this.cache.set(hash, { scope: row.scope, until: this.now() + KEY_CACHE_MS });
    return row.scope;
  }

  list(): Promise<KeyInfo[]> {
    return this.db.all<KeyInfo>('SELECT id, scope, name, created_at, revoked_at FROM api_keys ORDER BY created_at, id');
  }

  /**
   * Revokes a key; it stops at once in this process. With `keepAdmin` (the HTTP API) the last active
   * admin key is kept — in one statement, so two revocations at once cannot both pass — since an edge
   * without one could no longer be administered over the network.
   */
  async revoke(id: string, { keepAdmin = false } = {}): Promise<void> {
    const { changes } = await this.db.run(
      `UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL${
        keepAdmin
          ? " AND (scope <> 'admin' OR (SELECT COUNT(*) FROM api_keys WHERE scope = 'admin' AND revoked_at IS NULL) > 1)"
          : ''
      }`,
      [new Date(this.now()).toISOString(), id],
    );
    this.revocations++;
    this.cache.clear();
    if (changes === 1) return;
    const row = await this.db.first<{ scope: Scope }>(
      'SELECT scope FROM api_keys WHERE id = ? AND revoked_at IS NULL',
      [id],
    );
    if (row)
      throw new FlywheelError(
        'conflict',
        `"${id}" is the last admin key; create another admin key before revoking it`,
        [{ path: id, message: 'last admin key' }],
      );
    throw new FlywheelError('not_found', `no active key with id "${id}"`, [{ path: id, message: 'no such key' }]);
  }

  /** On first start: creates an admin key when there is none, returning its secret (else null). */
  async ensureAdmin(): Promise<string | null> {
    const any = await this.db.first("SELECT 1 AS x FROM api_keys WHERE scope = 'admin' AND revoked_at IS NULL");
    return any ? null : (await this.create('admin', 'first-start admin key')).key;
  }
}
