/**
 * The edge service as a Hono app built from injected ports, so the same app runs on Node and on
 * Cloudflare Workers, and every test runs against the real adapter of each runtime.
 */
import { Hono, type Context } from 'hono';
import { FlywheelError } from '../core/errors';
import { authenticate, errorResponse, notFoundResponse, type EdgeEnv } from './http';
import { isTfServingPath, tfServingError } from './protocols/tf-serving';
import { outerHeadersMiddleware, type OuterHeaderConfig } from './outer-headers';
import { automationRoutes } from './routes/automation';
import { keyRoutes } from './routes/keys';
import { mlflowRoutes } from './routes/mlflow';
import { monitoringRoutes } from './routes/monitoring';
import { openApiRoutes } from './routes/openapi';
import { predictRoutes } from './routes/predict';
import { registryRoutes } from './routes/registry';
import { tfServingRoutes } from './routes/tf-serving';
import { v2Routes } from './routes/v2';
import { EdgeServices, type EdgePorts } from './services';

export type { EdgePorts } from './services';

export interface Edge {
  app: Hono<EdgeEnv>;
  services: EdgeServices;
  /** What every answer's outer headers are made from (a transport that answers outside the app uses it too). */
  outer: OuterHeaderConfig;
}

/** An error in TF Serving's shape, `{"error": "…"}`, with the native envelope's status. */
function tfServingErrorResponse(c: Context, e: unknown): Response {
  const { status, body } = tfServingError(e, c.get('requestId'));
  return c.json(body, status as 400);
}

/** The 404 of a path no route answers, in the shape of the protocol the path belongs to (a Node root app that mounts this one uses it too). */
export function edgeNotFound(c: Context): Response {
  if (!isTfServingPath(c.req.path)) return notFoundResponse(c);
  const verb = /:(\w+)$/.exec(c.req.path)?.[1];
  const hint =
    verb && verb !== 'predict'
      ? `: TF Serving's :${verb} is not served here; :predict answers classifiers (label and probabilities) and regressors alike`
      : '';
  return tfServingErrorResponse(c, new FlywheelError('not_found', `no route for ${c.req.method} ${c.req.path}${hint}`));
}

export function createEdge(ports: EdgePorts): Edge {
  const services = new EdgeServices(ports);
  const app = new Hono<EdgeEnv>();
  const outer: OuterHeaderConfig = { corsOrigins: ports.corsOrigins ?? '*', runtime: ports.responseHeaders ?? [] };
  // Every answer of the app, whatever the route, the error and who wrote it (a handler, onError, notFound), is counted once here for /metrics.
  app.use('*', async (c, next) => {
    await next();
    services.monitor.answered(c.res.status);
  });
  app.use('*', outerHeadersMiddleware(outer));
  // Each protocol's paths answer errors in its own shape (README, "The edge API"); MLflow's routes have their own onError (./routes/mlflow.ts).
  app.onError((e, c) => (isTfServingPath(c.req.path) ? tfServingErrorResponse(c, e) : errorResponse(c, e)));
  app.notFound(edgeNotFound);
  app.get('/healthz', (c) => c.json({ status: 'ok', version: ports.version }));
  app.use('/v1/*', authenticate(services.keys));
  app.route('/', registryRoutes(services));
  app.route('/', keyRoutes(services));
  app.route('/', predictRoutes(services));
  app.route('/', tfServingRoutes(services));
  app.route('/', mlflowRoutes(services));
  app.route('/', v2Routes(services));
  app.route('/', monitoringRoutes(services));
  app.route('/', automationRoutes(services));
  app.route('/', openApiRoutes(services));
  return { app, services, outer };
}
