/**
 * The edge service as a Hono app built from injected ports, so the same app runs on Node and on
 * Cloudflare Workers, and every test runs against the real adapter of each runtime.
 */
import { Hono } from 'hono';

export interface EdgePorts {
  version: string;
}

export function createApp(ports: EdgePorts): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok', version: ports.version }));
  return app;
}
