import { Hono } from 'hono';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ASSET_CACHE_CONTROL, explainMissingWebApp, PAGE_CACHE_CONTROL, serveWebApp } from './node-web-app';

const SCRIPT = `console.log(${JSON.stringify('flywheel '.repeat(400))});\n`;
let dir: string;
let app: Hono;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'flywheel-web-app-'));
  await mkdir(path.join(dir, 'assets'));
  await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>Flywheel</title>');
  await writeFile(path.join(dir, 'assets', 'main-abc123.js'), SCRIPT);
  await writeFile(path.join(dir, 'assets', 'main-abc123.js.br'), brotliCompressSync(SCRIPT));
  await writeFile(path.join(dir, 'assets', 'main-abc123.js.gz'), gzipSync(SCRIPT));
  app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  serveWebApp(app, path.relative(process.cwd(), dir));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('serveWebApp', () => {
  it('sends the Brotli copy of a hashed asset to a browser that accepts it, cached as immutable', async () => {
    const res = await app.request('/assets/main-abc123.js', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('br');
    expect(res.headers.get('vary')).toContain('Accept-Encoding');
    expect(res.headers.get('cache-control')).toBe(ASSET_CACHE_CONTROL);
    expect(brotliDecompressSync(Buffer.from(await res.arrayBuffer())).toString()).toBe(SCRIPT);
  });

  it('falls back to gzip, then to the plain file', async () => {
    const gz = await app.request('/assets/main-abc123.js', { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    const plain = await app.request('/assets/main-abc123.js');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(SCRIPT);
  });

  it('answers pages with index.html, revalidated on every load; a missing asset is not cached for a year', async () => {
    for (const url of ['/', '/some/page', '/assets/gone-000.js']) {
      const res = await app.request(url);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<title>Flywheel</title>');
      expect(res.headers.get('cache-control')).toBe(PAGE_CACHE_CONTROL);
    }
  });

  it('leaves the routes before it alone', async () => {
    const res = await app.request('/healthz');
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(res.headers.get('cache-control')).toBeNull();
  });

  it("answers an API path it does not know with a 404, never with the app's page", async () => {
    for (const p of [
      '/v1/models/x/nope',
      '/v2/models/x/versions/1/ready',
      '/v2/',
      '/v1',
      '/openapi.json',
      '/metrics',
    ]) {
      const res = await app.request(p);
      expect(res.status, p).toBe(404);
      expect(await res.text(), p).not.toContain('<title>Flywheel</title>');
    }
    const page = await app.request('/some/page');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Flywheel</title>');
  });
});

describe('explainMissingWebApp', () => {
  it('says how to build the app when there is none', async () => {
    const bare = new Hono();
    explainMissingWebApp(bare, 'dist/web');
    const res = await bare.request('/');
    expect(res.status).toBe(404);
    expect(await res.text()).toMatch(/not built.*dist\/web.*npm run build/s);
  });
});
