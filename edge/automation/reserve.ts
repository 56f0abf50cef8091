/**
 * The verification reserve: one feedback row in RESERVED_SHARE is never handed to runners, so a
 * challenger and the champion are compared on rows no model trained on. Which rows is decided by an
 * HMAC of the model and request id under a server-side secret: a client chooses its request ids, and
 * with a plain hash of them it could choose which of its own rows judge the challenger.
 */
import { FlywheelError } from '../../core/errors';
import type { SqlDatabase } from '../store/sql';

/** Share of feedback rows kept back from training for verification. */
export const RESERVED_SHARE = 0.2;
/** The `settings` row holding the secret: created once per deployment, shared by every process and isolate. */
const SECRET_SETTING = 'reserve_secret';
/** Bytes of randomness in the secret (256 bits, HMAC-SHA-256's own key size). */
const SECRET_BYTES = 32;

export class ReserveSplit {
  private key: Promise<CryptoKey> | null = null;

  constructor(private readonly db: SqlDatabase) {}

  /** Whether the feedback of `model`'s request `requestId` belongs to the reserve (stable for the deployment's lifetime). */
  async isReserved(model: string, requestId: string): Promise<boolean> {
    const mac = await crypto.subtle.sign(
      'HMAC',
      await this.secretKey(),
      new TextEncoder().encode(`${model}\n${requestId}`),
    );
    return new DataView(mac).getUint32(0) / 2 ** 32 < RESERVED_SHARE;
  }

  private secretKey(): Promise<CryptoKey> {
    this.key ??= this.loadSecret().catch((e: unknown) => {
      this.key = null;
      throw e;
    });
    return this.key;
  }

  /** Reads the secret, creating it first when the deployment has none; of two creating at once, the first insert wins and both read it. */
  private async loadSecret(): Promise<CryptoKey> {
    const fresh = [...crypto.getRandomValues(new Uint8Array(SECRET_BYTES))]
      .map((b) => b.toString(16).padStart(2, '0'))
      .join('');
    await this.db.run('INSERT OR IGNORE INTO settings (name, value) VALUES (?, ?)', [SECRET_SETTING, fresh]);
    const row = await this.db.first<{ value: string }>('SELECT value FROM settings WHERE name = ?', [SECRET_SETTING]);
    if (!row) throw new FlywheelError('internal', 'the verification reserve secret could not be stored');
    const bytes = new Uint8Array(row.value.match(/../g)!.map((h) => parseInt(h, 16)));
    return crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  }
}
