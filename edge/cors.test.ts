import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { createEdge } from './app';
import { parseCorsOrigins } from './cors';
import { memoryBlobStore, migrate, openSqlite, readMigrations } from './store';

describe('parseCorsOrigins', () => {
  it('allows any origin when unset, empty or *', () => {
    expect(parseCorsOrigins(undefined)).toBe('*');
    expect(parseCorsOrigins('  ')).toBe('*');
    expect(parseCorsOrigins('*')).toBe('*');
  });

  it('reads a comma-separated list of origins', () => {
    expect(parseCorsOrigins('https://app.example.com, http://localhost:5173')).toEqual([
      'https://app.example.com',
      'http://localhost:5173',
    ]);
  });

  it('refuses what is not an origin, naming the setting', () => {
    expect(() => parseCorsOrigins('https://app.example.com/path')).toThrow(
      /FLYWHEEL_CORS_ORIGINS: "https:\/\/app.example.com\/path" is not an origin/,
    );
    expect(() => parseCorsOrigins('app.example.com', 'CORS_ORIGINS')).toThrow(
      /CORS_ORIGINS: "app.example.com" is not an origin/,
    );
  });
});

describe('CORS on the edge app', () => {
  async function app(corsOrigins?: readonly string[]) {
    const db = openSqlite(':memory:');
    await migrate(db, await readMigrations(path.join(import.meta.dirname, 'migrations')));
    return createEdge({
      version: 'test',
      db,
      blobs: memoryBlobStore(),
      now: Date.now,
      allowTfjsFallback: false,
      ...(corsOrigins ? { corsOrigins } : {}),
    }).app;
  }

  it('answers a preflight before authentication, for any origin by default', async () => {
    const res = await (
      await app()
    ).request('/v1/models/m/predict', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://notebook.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, authorization',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')).toContain('authorization');
    // A browser sending V2 binary tensors declares the JSON part's length.
    expect(res.headers.get('access-control-allow-headers')).toContain('inference-header-content-length');
    expect(res.headers.get('access-control-max-age')).toBe('600');
  });

  it('lets scripts read the request id of any answer, errors included', async () => {
    const res = await (await app()).request('/v1/models/nobody', { headers: { origin: 'https://notebook.example' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-expose-headers')).toBe(
      'x-request-id,x-model-version,inference-header-content-length',
    );
  });

  it('with a list, allows only those origins', async () => {
    const edge = await app(['https://app.example.com']);
    const ok = await edge.request('/v1/models', { headers: { origin: 'https://app.example.com' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(ok.headers.get('vary')).toBe('Origin');
    const other = await edge.request('/v1/models', { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
