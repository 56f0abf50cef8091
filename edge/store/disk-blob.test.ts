import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { diskBlobStore } from './disk-blob';

// Failure injection: while `fault.on`, a file opened for an exclusive create (the temp file) writes
// half its bytes and then fails as a full disk would.
const fault = vi.hoisted(() => ({ on: false }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const open = async (...args: Parameters<typeof fs.open>): Promise<FileHandle> => {
    const handle = await fs.open(...args);
    if (!fault.on || args[1] !== 'wx') return handle;
    return new Proxy(handle, {
      get(target, prop) {
        if (prop === 'writeFile') {
          return async (data: Uint8Array) => {
            await target.write(data, 0, data.length >> 1, 0);
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
          };
        }
        const value = Reflect.get(target, prop, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  };
  return { ...fs, open, default: { ...fs, open } };
});

const dir = mkdtempSync(path.join(tmpdir(), 'flywheel-disk-blob-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  fault.on = false;
});
let roots = 0;

function fresh(): { root: string; store: ReturnType<typeof diskBlobStore> } {
  const root = path.join(dir, `root-${roots++}`);
  return { root, store: diskBlobStore(root) };
}

describe('diskBlobStore', () => {
  it('keeps a blob as a file at the key’s path under the root', async () => {
    const { root, store } = fresh();
    await store.put('bundles/m/abc.zip', new Uint8Array([1, 2, 3]));
    expect(statSync(path.join(root, 'bundles', 'm', 'abc.zip')).size).toBe(3);
    expect(readdirSync(path.join(root, 'bundles', 'm'))).toEqual(['abc.zip']);
  });

  it('a write that fails midway leaves no file at the key and no temp file', async () => {
    const { root, store } = fresh();
    fault.on = true;
    await expect(store.put('bundles/m/new.zip', new Uint8Array(1000).fill(7))).rejects.toThrow(/ENOSPC/);
    expect(readdirSync(path.join(root, 'bundles', 'm'))).toEqual([]);
    expect(await store.has('bundles/m/new.zip')).toBe(false);
  });

  it('a write that fails midway leaves the previous blob whole', async () => {
    const { root, store } = fresh();
    await store.put('bundles/m/a.zip', new Uint8Array([9, 9, 9]));
    fault.on = true;
    await expect(store.put('bundles/m/a.zip', new Uint8Array(1000).fill(7))).rejects.toThrow(/ENOSPC/);
    expect(Array.from((await store.get('bundles/m/a.zip'))!)).toEqual([9, 9, 9]);
    expect(readdirSync(path.join(root, 'bundles', 'm'))).toEqual(['a.zip']);
  });

  it('a rename that fails (a folder in the way) removes its temp file', async () => {
    const { root, store } = fresh();
    mkdirSync(path.join(root, 'bundles', 'taken'), { recursive: true });
    await store.put('bundles/taken/inner.zip', new Uint8Array([1]));
    await expect(store.put('bundles/taken', new Uint8Array([2]))).rejects.toThrow();
    expect(readdirSync(path.join(root, 'bundles'))).toEqual(['taken']);
    expect(await store.has('bundles/taken')).toBe(false);
    expect(await store.get('bundles/taken')).toBeNull();
  });
});
