/**
 * The edge service as a Hono app built from injected ports, so the same app runs on Node and on
 * Cloudflare Workers, and every test runs against the real adapter of each runtime.
 */
import { Hono } from 'hono';
import { authenticate, errorResponse, notFoundResponse, type EdgeEnv } from './http';
import { outerHeadersMiddleware, type OuterHeaderConfig } from './outer-headers';
import { automationRoutes } from './routes/automation';
import { mlflowRoutes } from './routes/mlflow';
import { monitoringRoutes } from './routes/monitoring';
import { openApiRoutes } from './routes/openapi';
import { predictRoutes } from './routes/predict';
import { registryRoutes } from './routes/registry';
import { v2Routes } from './routes/v2';
import { EdgeServices, type EdgePorts } from './services';

export type { EdgePorts } from './services';

export interface Edge {
  app: Hono<EdgeEnv>;
  services: EdgeServices;
  /** What every answer's outer headers are made from (a transport that answers outside the app uses it too). */
  outer: OuterHeaderConfig;
}

export function createEdge(ports: EdgePorts): Edge {
  const services = new EdgeServices(ports);
  const app = new Hono<EdgeEnv>();
  const outer: OuterHeaderConfig = { corsOrigins: ports.corsOrigins ?? '*', runtime: ports.responseHeaders ?? [] };
  app.use('*', outerHeadersMiddleware(outer));
  app.onError((e, c) => errorResponse(c, e));
  app.notFound(notFoundResponse);
  app.get('/healthz', (c) => c.json({ status: 'ok', version: ports.version }));
  app.use('/v1/*', authenticate(services.keys));
  app.route('/', registryRoutes(services));
  app.route('/', predictRoutes(services));
  app.route('/', mlflowRoutes(services));
  app.route('/', v2Routes(services));
  app.route('/', monitoringRoutes(services));
  app.route('/', automationRoutes(services));
  app.route('/', openApiRoutes(services));
  return { app, services, outer };
}
