import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBundle } from '../../core/bundle';
import { FlywheelError } from '../../core/errors';
import { createEdge } from '../app';
import { blobContract } from './blob.contract';
import { migrate } from './migrate';
import { readMigrations } from './node-migrations';
import { R2_MAX_PUT_BYTES, r2BlobStore, type R2Bucket } from './r2-blob';
import { openSqlite } from './sqlite';

const migrations = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations');

// One local R2 bucket (workerd through miniflare), reached through miniflare's binding proxy.
let mf: Miniflare;
let bucket: R2Bucket & { list(): Promise<{ objects: { key: string }[] }> };
beforeAll(async () => {
  mf = new Miniflare({
    modules: true,
    script: 'export default { fetch: () => new Response(null) }',
    compatibilityDate: '2026-04-01',
    r2Buckets: ['BUNDLES'],
  });
  // Miniflare types the proxy with @cloudflare/workers-types, which is not installed; it has R2's API.
  bucket = (await mf.getR2Bucket('BUNDLES')) as unknown as typeof bucket;
});
afterAll(() => mf?.dispose());

blobContract('R2 (workerd)', async () => {
  for (const { key } of (await bucket.list()).objects) await bucket.delete(key);
  return r2BlobStore(bucket);
});

/** A bucket whose every call fails, as R2 does when it is unreachable. */
const brokenBucket: R2Bucket = {
  put: async () => {
    throw new Error('R2 is unreachable');
  },
  get: async () => {
    throw new Error('R2 is unreachable');
  },
  head: async () => {
    throw new Error('R2 is unreachable');
  },
  delete: async () => {
    throw new Error('R2 is unreachable');
  },
};

describe('r2BlobStore', () => {
  it('turns R2 failures into an internal FlywheelError naming the key', async () => {
    const store = r2BlobStore(brokenBucket);
    const err = await store.put('bundles/m/x.zip', new Uint8Array(1)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlywheelError);
    expect(err).toMatchObject({ code: 'internal', message: 'R2 could not store bundles/m/x.zip: R2 is unreachable' });
    await expect(store.get('bundles/m/x.zip')).rejects.toMatchObject({ code: 'internal' });
  });

  it('refuses a blob above R2’s single-put size before sending it', async () => {
    const data = new Uint8Array(1);
    Object.defineProperty(data, 'byteLength', { value: R2_MAX_PUT_BYTES + 1 });
    await expect(r2BlobStore(brokenBucket).put('big.bin', data)).rejects.toMatchObject({ code: 'too_large' });
  });

  it('makes a publish whose bundle R2 cannot store a clear 500 that records no version', async () => {
    const db = openSqlite(':memory:');
    await migrate(db, await readMigrations(migrations));
    const { app, services } = createEdge({
      version: 'test',
      db,
      blobs: r2BlobStore(brokenBucket),
      now: () => 0,
      allowTfjsFallback: false,
    });
    const { key } = await services.keys.create('admin');
    const bundle = await writeBundle({
      manifest: { name: 'm' } as never,
      modelJson: {} as never,
      weights: new Uint8Array(4),
    });
    const res = await app.request('/v1/models/m/versions', {
      method: 'POST',
      body: bundle.bytes as Uint8Array<ArrayBuffer>,
      headers: { 'content-type': 'application/zip', authorization: `Bearer ${key}` },
    });
    expect(res.status).toBe(500);
    const { error } = await res.json();
    expect(error.code).toBe('internal');
    expect(error.message).toMatch(/^R2 could not store bundles\/m\/[0-9a-f]{64}\.zip/);
    expect(await services.registry.listModels()).toEqual([]);
    await db.close();
  });
});
