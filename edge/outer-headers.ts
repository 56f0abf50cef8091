/**
 * The headers every answer of the edge carries, whichever transport writes it: the request id, CORS
 * (edge/cors.ts) and the runtime's own (Node adds cross-origin isolation for the web app). One
 * function makes them for the Hono app's middleware and for the Node predict fast path alike.
 */
import type { MiddlewareHandler } from 'hono';
import { corsHeaders, corsMiddleware, type CorsOrigins } from './cors';
import { requestIdOf, type EdgeEnv } from './http';

export interface OuterHeaderConfig {
  corsOrigins: CorsOrigins;
  /** Headers (name, value pairs) the runtime adds to every answer. */
  runtime: readonly string[];
}

/** The outer headers (name, value pairs) of an answer to a request with `origin` (its Origin header). */
export function outerHeaders(config: OuterHeaderConfig, requestId: string, origin: string | undefined): string[] {
  return [...config.runtime, ...corsHeaders(config.corsOrigins, origin), 'x-request-id', requestId];
}

/**
 * The Hono middleware that sets them (and the request id) before the handler runs: a header added
 * after `await next()` makes Hono rebuild the finished response around its body stream, which halves
 * the throughput of a small JSON answer. Preflights are Hono's `cors` middleware's to answer.
 */
export function outerHeadersMiddleware(config: OuterHeaderConfig): MiddlewareHandler<EdgeEnv> {
  const preflight = corsMiddleware(config.corsOrigins);
  return async (c, next) => {
    const id = requestIdOf(c.req.header('x-request-id'));
    c.set('requestId', id);
    // A preflight's CORS headers are all the cors middleware's (it would add a second Vary).
    const headers =
      c.req.method === 'OPTIONS'
        ? [...config.runtime, 'x-request-id', id]
        : outerHeaders(config, id, c.req.header('origin'));
    for (let i = 0; i < headers.length; i += 2) c.header(headers[i], headers[i + 1]);
    if (c.req.method === 'OPTIONS') return preflight(c, next);
    await next();
  };
}
