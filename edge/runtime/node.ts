/**
 * The Node entry point (the embedded default): the edge app plus the built web app on one port,
 * with the cross-origin isolation headers that let the browser use WASM threads.
 */
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { createApp } from '../app';

export interface NodeEdgeOptions {
  port: number;
  host?: string;
  /** The built web app (`vite build` output); omitted or missing → API only. */
  webRoot?: string;
  version: string;
}

export interface RunningEdge {
  url: string;
  close(): Promise<void>;
}

export async function startNodeEdge(options: NodeEdgeOptions): Promise<RunningEdge> {
  const root = new Hono();
  root.use('*', async (c, next) => {
    await next();
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    c.header('Cross-Origin-Embedder-Policy', 'require-corp');
  });
  root.route('/', createApp({ version: options.version }));
  const webRoot = options.webRoot && existsSync(path.join(options.webRoot, 'index.html')) ? options.webRoot : null;
  if (webRoot) {
    const rel = path.relative(process.cwd(), webRoot) || '.';
    root.use('/*', serveStatic({ root: rel }));
    root.get('*', serveStatic({ path: path.join(rel, 'index.html') }));
  }
  const host = options.host ?? '127.0.0.1';
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: root.fetch, port: options.port, hostname: host }, () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
