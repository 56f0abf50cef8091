/** The blob port on Cloudflare Workers: one R2 object per key. */
import { errorMessage, FlywheelError } from '../../core/errors';
import { assertBlobKey, type BlobStore } from './blob';

/**
 * The parts of Cloudflare's `R2Bucket` binding this store uses, declared here because the
 * `@cloudflare/workers-types` package is not a dependency. Miniflare's `getR2Bucket` proxy fits too.
 */
export interface R2Bucket {
  put(key: string, value: ArrayBuffer | ArrayBufferView): Promise<unknown>;
  get(key: string): Promise<{ arrayBuffer(): Promise<ArrayBuffer> } | null>;
  head(key: string): Promise<unknown>;
  delete(key: string): Promise<void>;
}

/** R2's largest single `put` (5 GiB); bigger objects need a multipart upload, which bundles never need. */
export const R2_MAX_PUT_BYTES = 5 * 2 ** 30;

/**
 * A BlobStore over an R2 bucket. R2 writes an object whole or not at all, so a `put` that resolved
 * is durable and a failed one leaves the previous value (or nothing); its failures become
 * FlywheelError('internal') naming the key, and the caller (publish) stores no version row. Keys are
 * checked with `assertBlobKey` like every store, although R2 would accept more. `get` returns a
 * fresh buffer, so the caller owns it.
 */
export function r2BlobStore(bucket: R2Bucket): BlobStore {
  const call = async <T>(what: string, key: string, fn: () => Promise<T>): Promise<T> => {
    assertBlobKey(key);
    try {
      return await fn();
    } catch (e) {
      throw new FlywheelError('internal', `R2 could not ${what} ${key}: ${errorMessage(e)}`, [
        { path: key, message: errorMessage(e) },
      ]);
    }
  };
  return {
    async put(key, data) {
      assertBlobKey(key);
      if (data.byteLength > R2_MAX_PUT_BYTES) {
        throw new FlywheelError(
          'too_large',
          `${key} is ${data.byteLength} bytes, above R2's single-upload limit of ${R2_MAX_PUT_BYTES} bytes`,
          [{ path: key, message: 'too large for one R2 put' }],
        );
      }
      await call('store', key, () => bucket.put(key, data));
    },
    async get(key) {
      const object = await call('read', key, () => bucket.get(key));
      if (!object) return null;
      return new Uint8Array(await call('read', key, () => object.arrayBuffer()));
    },
    async delete(key) {
      await call('delete', key, () => bucket.delete(key));
    },
    async has(key) {
      return (await call('look up', key, () => bucket.head(key))) !== null;
    },
  };
}
