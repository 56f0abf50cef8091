/**
 * MLflow's scoring protocol: POST /v1/models/{name}/invocations on every edge, and for `flywheel
 * serve`, which serves one model as `mlflow models serve` does, /invocations, /ping, /health and
 * /version. Errors come in MLflow's shape, `{"error_code", "message"}`.
 */
import { Hono } from 'hono';
import { MAX_JSON_BYTES, readLimited, type EdgeContext, type EdgeEnv } from '../http';
import { mlflowError, mlflowRows } from '../protocols';
import type { EdgeServices } from '../services';
import { modelName } from './registry';
import { predict } from './caller';

/** A Hono app whose routes answer errors as MLflow does (Hono keeps a mounted app's own onError for its routes). */
function mlflowApp(): Hono<EdgeEnv> {
  const r = new Hono<EdgeEnv>();
  r.onError((e, c) => {
    const { status, body } = mlflowError(e, c.get('requestId'));
    return c.json(body, status as 400);
  });
  return r;
}

async function invocations(c: EdgeContext, svc: EdgeServices, name: string): Promise<Response> {
  const { rows, path } = mlflowRows(c.req.header('content-type') ?? '', await readLimited(c, MAX_JSON_BYTES));
  const out = await predict(svc, c, name, null, rows, path);
  return c.json({ predictions: out.predictions.map((p) => ('value' in p ? p.value : p.label)) });
}

/** POST /v1/models/{name}/invocations, for any published model. */
export function mlflowRoutes(svc: EdgeServices): Hono<EdgeEnv> {
  const r = mlflowApp();
  r.post('/v1/models/:name/invocations', (c) => invocations(c, svc, modelName(c.req.param('name'))));
  return r;
}

/** The routes of MLflow's own scoring server, for one served `model`; /ping and /health say whether it can answer. */
export function mlflowServerRoutes(svc: EdgeServices, model: string): Hono<EdgeEnv> {
  const r = mlflowApp();
  r.post('/invocations', (c) => invocations(c, svc, model));
  const ping = async (c: EdgeContext) => {
    await svc.serving.load(model, (await svc.serving.choose(model, null, null)).version);
    return c.text('\n');
  };
  r.get('/ping', ping);
  r.get('/health', ping);
  r.get('/version', (c) => c.text(svc.ports.version));
  return r;
}
