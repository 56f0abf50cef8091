/** The blob port in memory: for tests, and the reference the other stores are held to. */
import { assertBlobKey, type BlobStore } from './blob';

/**
 * A BlobStore in a Map. It copies bytes in and out, as a real store does, so a caller that reuses
 * its buffer after `put` or edits what `get` returned cannot change what is stored (the copies use
 * `new Uint8Array(data)` because a Buffer's `slice` is a view, not a copy).
 */
export function memoryBlobStore(): BlobStore {
  const blobs = new Map<string, Uint8Array>();
  return {
    async put(key, data) {
      assertBlobKey(key);
      blobs.set(key, new Uint8Array(data));
    },
    async get(key) {
      assertBlobKey(key);
      const data = blobs.get(key);
      return data ? new Uint8Array(data) : null;
    },
    async delete(key) {
      assertBlobKey(key);
      blobs.delete(key);
    },
    async has(key) {
      assertBlobKey(key);
      return blobs.has(key);
    },
  };
}
