/**
 * Cross-origin requests: the web app can talk to edges other than the one that served it (Settings
 * → Edges), and a notebook anywhere can call a deployed edge, so the API answers CORS preflights and
 * marks its responses readable. Keys travel in the Authorization header, never in cookies, so any
 * origin is allowed by default; FLYWHEEL_CORS_ORIGINS (Node) or CORS_ORIGINS (Workers) narrows it to
 * a comma-separated list of origins. Hono's `cors` middleware does the work on Hono routes;
 * `corsHeaders` gives the Node predict fast path the same headers.
 */
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { FlywheelError } from '../core/errors';

/** `*` or the origins allowed. */
export type CorsOrigins = '*' | readonly string[];

/** Response headers a browser script may read (a binary V2 answer is split at inference-header-content-length). */
const EXPOSE = ['x-request-id', 'x-model-version', 'inference-header-content-length'];
/** EXPOSE as the one header value the fast path sends. */
const EXPOSED = EXPOSE.join(',');
/** Request headers a browser script may send. */
const ALLOW_HEADERS = [
  'authorization',
  'content-type',
  'x-request-id',
  'x-routing-key',
  'inference-header-content-length',
];
const ALLOW_METHODS = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'PATCH'];
/** Seconds a browser may reuse a preflight's answer. */
const MAX_AGE_S = 600;

/** The allowed origins from a setting: unset, empty or `*` allows all; otherwise a comma-separated list of origins. */
export function parseCorsOrigins(raw: string | undefined, setting = 'FLYWHEEL_CORS_ORIGINS'): CorsOrigins {
  const text = raw?.trim() ?? '';
  if (text === '' || text === '*') return '*';
  return text.split(',').map((part) => {
    const origin = part.trim();
    let url: URL | null = null;
    try {
      url = new URL(origin);
    } catch {
      // Reported below.
    }
    if (!url || url.origin !== origin)
      throw new FlywheelError(
        'bad_input',
        `${setting}: "${origin}" is not an origin such as https://app.example.com (scheme, host and port only)`,
        [{ path: setting, message: 'not an origin' }],
      );
    return origin;
  });
}

function allowed(origins: CorsOrigins, origin: string): string | null {
  if (origins === '*') return '*';
  return origins.includes(origin) ? origin : null;
}

/** The middleware for every route of the edge app. */
export function corsMiddleware(origins: CorsOrigins): MiddlewareHandler {
  // The string '*' rather than a function: Hono then skips `Vary: Origin`, which it can only add by rebuilding the response.
  return cors({
    origin: origins === '*' ? '*' : [...origins],
    allowHeaders: ALLOW_HEADERS,
    allowMethods: ALLOW_METHODS,
    exposeHeaders: EXPOSE,
    maxAge: MAX_AGE_S,
  });
}

/** The CORS headers (name, value pairs) of a non-preflight response, as `corsMiddleware` sets them. */
export function corsHeaders(origins: CorsOrigins, requestOrigin: string | undefined): string[] {
  const out: string[] = [];
  const allow = allowed(origins, requestOrigin ?? '');
  if (allow) out.push('Access-Control-Allow-Origin', allow);
  out.push('Access-Control-Expose-Headers', EXPOSED);
  if (origins !== '*') out.push('Vary', 'Origin');
  return out;
}
