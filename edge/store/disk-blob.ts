/** The blob port on Node: one file per key under a root folder, written atomically. */
import { mkdir, readFile, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { assertBlobKey, type BlobStore } from './blob';
import { syncDir, writeFileAtomic } from './atomic-write';

/** Errors meaning "there is no blob file at this path". */
const ABSENT = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);

/**
 * A BlobStore that keeps the blob at key `a/b/c.zip` in the file `<root>/a/b/c.zip`. `put` writes a
 * temp file in the same folder, fsyncs it, renames it into place and fsyncs the folder (and the
 * parents of folders it had to create), so a crash never leaves a half-written bundle at a key and a
 * `put` that resolved survives power loss. Unlike R2 or the memory store, a key cannot be both a blob
 * and a folder of blobs (`a` and `a/b`); bundle keys never are.
 */
export function diskBlobStore(root: string): BlobStore {
  const base = path.resolve(root);
  const fileOf = (key: string): string => {
    assertBlobKey(key);
    return path.join(base, ...key.split('/'));
  };
  return {
    async put(key, data) {
      const file = fileOf(key);
      const dir = path.dirname(file);
      const firstCreated = await mkdir(dir, { recursive: true });
      await writeFileAtomic(file, data);
      if (firstCreated) await syncNewDirs(firstCreated, dir);
    },
    async get(key) {
      try {
        const buf = await readFile(fileOf(key));
        return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
      } catch (e) {
        if (isAbsent(e)) return null;
        throw e;
      }
    },
    async delete(key) {
      try {
        await unlink(fileOf(key));
      } catch (e) {
        if (!isAbsent(e)) throw e;
      }
    },
    async has(key) {
      try {
        return (await stat(fileOf(key))).isFile();
      } catch (e) {
        if (isAbsent(e)) return false;
        throw e;
      }
    },
  };
}

/** A new folder's name lives in its parent: fsync the parent of every folder from `last` up to `first`. */
async function syncNewDirs(first: string, last: string): Promise<void> {
  for (let d = last; ; d = path.dirname(d)) {
    await syncDir(path.dirname(d));
    if (d === first || path.dirname(d) === d) return;
  }
}

function isAbsent(e: unknown): boolean {
  return ABSENT.has((e as NodeJS.ErrnoException).code ?? '');
}
