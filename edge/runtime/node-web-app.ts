/**
 * The built web app on Node: files from the build folder, the precompressed `.br`/`.gz` copies the
 * build writes (build/precompress.ts) when the browser accepts them, hashed `/assets/*` cached for a
 * year as immutable (their names change with their content), and index.html for any other page so
 * hash routes and reloads work — but never for an API path: an unknown one there is the API's JSON
 * 404, so a probe of a model or version that does not exist cannot read "ready" from the app's page.
 * The HTML itself is revalidated on every load, so a new build shows.
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

/** Paths of the API (and of `flywheel serve`'s MLflow routes): the app's page is never their answer. */
const API_PATH = /^\/(?:v1|v2)(?:\/|$)|^\/(?:openapi\.json|metrics|healthz|invocations|ping|health|version)$/;

/** Whether `pathname` belongs to the API rather than to the web app. */
export function isApiPath(pathname: string): boolean {
  return API_PATH.test(pathname);
}

/** Mounts the built app at `webRoot` (relative to the working directory, as serveStatic wants) on `app`, after its API routes. */
export function serveWebApp<E extends object>(app: Hono<E>, webRoot: string): void {
  app.use('/*', cacheControl());
  app.use('/*', serveStatic({ root: webRoot, precompressed: true }));
  const page = serveStatic({ path: path.join(webRoot, 'index.html'), precompressed: true });
  app.get('*', (c, next) => (isApiPath(c.req.path) ? next() : page(c, next)));
}

/** Without a built app, `/` says how to build it instead of answering with the API's bare 404. */
export function explainMissingWebApp<E extends object>(app: Hono<E>, webRoot: string): void {
  app.get('/', (c) =>
    c.html(
      `<!doctype html><meta charset="utf-8"><title>Flywheel: the web app is not built</title><h1>The web app is not built</h1><p>The API is up, but there is no built app in <code>${escapeHtml(webRoot)}</code>. Build it with <code>npm run build</code> (or start with <code>npm start</code>, which builds it first), then reload this page.</p>`,
      404,
    ),
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch] as string);
}
