/**
 * The blob port: bundles and other immutable bytes, stored by key (disk on Node, R2 on Workers).
 * Keys are `/`-separated relative paths such as `bundles/<model>/<sha256>.zip`.
 */
import { FlywheelError } from '../../core/errors';

export interface BlobStore {
  /** Stores `data` at `key`, replacing what was there; once it resolves the bytes are durable and whole. */
  put(key: string, data: Uint8Array): Promise<void>;
  /** The bytes at `key`, or null when there are none. */
  get(key: string): Promise<Uint8Array | null>;
  /** Removes `key`; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
  has(key: string): Promise<boolean>;
}

/** R2's limit on key length in bytes: a key valid here is valid on every backend. */
const MAX_KEY_BYTES = 1024;

/**
 * Throws FlywheelError('bad_input') unless `key` is a safe relative path: non-empty, at most
 * MAX_KEY_BYTES, no leading `/`, no `\`, `:` (drive letters, alternate streams) or control
 * characters (NUL among them), and no empty, `.` or `..` segment. Every store checks keys with it,
 * so a key that escapes the disk store's root is refused by all of them alike.
 */
export function assertBlobKey(key: string): void {
  const reason = blobKeyProblem(key);
  if (reason)
    throw new FlywheelError('bad_input', `blob key ${JSON.stringify(key)} is not allowed: ${reason}`, [
      { path: 'key', message: reason },
    ]);
}

function blobKeyProblem(key: string): string | null {
  if (typeof key !== 'string' || key.length === 0) return 'it is empty';
  if (new TextEncoder().encode(key).length > MAX_KEY_BYTES) return `it is longer than ${MAX_KEY_BYTES} bytes`;
  if (key.startsWith('/')) return 'it is absolute';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(key)) return 'it contains a control character';
  if (/[\\:]/.test(key)) return 'it contains a backslash or a colon';
  for (const segment of key.split('/')) {
    if (segment === '') return 'it has an empty segment';
    if (segment === '.' || segment === '..') return `it has a "${segment}" segment`;
  }
  return null;
}
