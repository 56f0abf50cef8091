/** Flywheel's own prediction routes (TF Serving / KServe V1 is in ./tf-serving.ts, MLflow's /invocations in ./mlflow.ts). */
import { Hono } from 'hono';
import { predictRequestSchema, type PredictRequest } from '../../core/api/contract';
import { FlywheelError } from '../../core/errors';
import { handlePredict } from '../handle-predict';
import { readLimited, validated, type EdgeContext, type EdgeEnv } from '../http';
import type { EdgeServices } from '../services';

/** `inputs` as TF Serving's columnar form ({feature: [values]}) or rows. */
export function rowsOf(body: PredictRequest): { rows: unknown[]; path: string } {
  if ('instances' in body) return { rows: body.instances, path: 'instances' };
  if (Array.isArray(body.inputs)) return { rows: body.inputs, path: 'inputs' };
  return { rows: columnsToRows(body.inputs, 'inputs'), path: 'inputs' };
}

/**
 * The rows of a parsed predict body. The common shape — `{"instances": [row, …]}` with rows that are
 * objects or arrays — is recognised with a few type checks, since zod copies every row key by key and
 * that was a fifth of a one-row request's CPU; anything else goes through the schema, which accepts a
 * superset of the fast shape and names what is wrong.
 */
export function predictBodyRows(data: unknown): { rows: unknown[]; path: string } {
  if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
    const instances = (data as { instances?: unknown }).instances;
    if (Array.isArray(instances) && instances.length > 0 && isOnlyKey(data, 'instances') && instances.every(isRow))
      return { rows: instances, path: 'instances' };
  }
  if (
    typeof data === 'object' &&
    data !== null &&
    !Array.isArray(data) &&
    !('instances' in data) &&
    !('inputs' in data)
  ) {
    const keys = Object.keys(data);
    const has = keys.length
      ? `it has ${keys
          .slice(0, 5)
          .map((k) => JSON.stringify(k))
          .join(', ')}${keys.length > 5 ? ', …' : ''}`
      : 'it is empty';
    throw new FlywheelError(
      'bad_input',
      `"instances" is missing: send {"instances": [row, …]} (or TF Serving's "inputs"); ${has}`,
      [{ path: 'instances', message: 'missing' }],
    );
  }
  return rowsOf(validated(data, predictRequestSchema));
}

function isOnlyKey(o: object, key: string): boolean {
  let n = 0;
  for (const k in o) {
    if (k !== key) return false;
    n++;
  }
  return n === 1;
}

function isRow(row: unknown): boolean {
  return typeof row === 'object' && row !== null;
}

export function columnsToRows(columns: Record<string, unknown[]>, path: string): Record<string, unknown>[] {
  const names = Object.keys(columns);
  const n = names.length ? columns[names[0]].length : 0;
  for (const name of names) {
    if (columns[name].length !== n)
      throw new FlywheelError(
        'bad_input',
        `${path}.${name} has ${columns[name].length} values, ${path}.${names[0]} has ${n}`,
        [{ path: `${path}.${name}`, message: 'length differs' }],
      );
  }
  return Array.from({ length: n }, (_, i) => Object.fromEntries(names.map((k) => [k, columns[k][i]])));
}

export function predictRoutes(svc: EdgeServices): Hono<EdgeEnv> {
  const r = new Hono<EdgeEnv>();

  // Flywheel's own format: edge/handle-predict.ts, which the Node fast path answers with too.
  const own = async (c: EdgeContext, version: string | undefined) => {
    const answer = await handlePredict(svc, {
      name: c.req.param('name')!,
      version,
      requestId: c.get('requestId'),
      header: (name) => c.req.header(name),
      scope: () => c.get('scope'),
      body: (limit) => readLimited(c, limit),
    });
    for (let i = 0; i < answer.headers.length; i += 2) c.header(answer.headers[i], answer.headers[i + 1]);
    return c.body(answer.body, answer.status as 200);
  };

  r.post('/v1/models/:name/predict', (c) => own(c, undefined));
  r.post('/v1/models/:name/versions/:version/predict', (c) => own(c, c.req.param('version')));

  return r;
}
