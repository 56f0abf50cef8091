/**
 * The built web app on Node: files from the build folder, the precompressed `.br`/`.gz` copies the
 * build writes (build/precompress.ts) when the browser accepts them, hashed `/assets/*` cached for a
 * year as immutable (their names change with their content), and index.html for any other page so
 * hash routes and reloads work. The HTML itself is revalidated on every load, so a new build shows.
 */
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono, MiddlewareHandler } from 'hono';
import path from 'node:path';

/** Hashed build output: a year, immutable — a changed file gets a new name. */
export const ASSET_CACHE_CONTROL = 'public, max-age=31536000, immutable';
/** Pages: always revalidated, so a reload after a new build fetches the new asset names. */
export const PAGE_CACHE_CONTROL = 'no-cache';

/** Sets Cache-Control on what the static handlers answered: immutable for hashed assets, no-cache for pages. */
function cacheControl(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (c.res.status !== 200 && c.res.status !== 304) return;
    const type = c.res.headers.get('content-type') ?? '';
    const hashed = c.req.path.startsWith('/assets/') && !type.startsWith('text/html');
    c.res.headers.set('Cache-Control', hashed ? ASSET_CACHE_CONTROL : PAGE_CACHE_CONTROL);
  };
}

/** Mounts the built app at `webRoot` (relative to the working directory, as serveStatic wants) on `app`, after its API routes. */
export function serveWebApp<E extends object>(app: Hono<E>, webRoot: string): void {
  app.use('/*', cacheControl());
  app.use('/*', serveStatic({ root: webRoot, precompressed: true }));
  app.get('*', serveStatic({ path: path.join(webRoot, 'index.html'), precompressed: true }));
}
