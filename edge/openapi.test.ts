/**
 * GET /openapi.json: the document is valid OpenAPI 3.1 by @seriousme/openapi-schema-validator (the
 * OpenAPI Initiative's JSON Schemas), and its paths are exactly the routes the router registers.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import type { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createEdge } from './app';
import type { EdgeEnv } from './http';
import { mlflowServerRoutes } from './routes/mlflow';
import { memoryBlobStore, openSqlite } from './store';

/** A route's path in OpenAPI's template syntax with parameter names dropped: `/v1/models/{}:predict`. */
function template(honoPath: string): string {
  return honoPath.replace(/\/:\w+\{\[\^\/\]\+(:\w+)\}/g, '/{}$1').replace(/\/:\w+/g, '/{}');
}

/** `METHOD template` of every handler a Hono app registers (middleware, registered as ALL, left out). */
function routesOf(app: Hono<EdgeEnv>): Set<string> {
  return new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${template(r.path)}`));
}

describe('GET /openapi.json', () => {
  const { app, services } = createEdge({
    version: 'openapi-test',
    db: openSqlite(':memory:'),
    blobs: memoryBlobStore(),
    now: () => 0,
    allowTfjsFallback: false,
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const res = await app.request('/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; info: { version: string } };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.version).toBe('openapi-test');
    const result = await new Validator().validate(doc as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('documents every route of the edge and of flywheel serve, and no route that does not exist', async () => {
    const doc = (await (await app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([p, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace(/\{\w+\}/g, '{}')}`),
      ),
    );
    const routed = new Set([...routesOf(app), ...routesOf(mlflowServerRoutes(services, 'm'))]);
    expect(routed.size).toBeGreaterThan(30);
    expect([...routed].filter((r) => !documented.has(r))).toEqual([]);
    expect([...documented].filter((r) => !routed.has(r))).toEqual([]);
  });

  it('carries the request schemas the routes validate with', async () => {
    const doc = (await (await app.request('/openapi.json')).json()) as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: { anyOf?: { required?: string[] }[] } }> } }>
      >;
    };
    const predict = doc.paths['/v1/models/{name}/predict'].post.requestBody!.content['application/json'].schema;
    expect(predict.anyOf?.map((s) => s.required)).toEqual([['instances'], ['inputs']]);
    const mlflow = doc.paths['/invocations'].post.requestBody!.content['application/json'].schema;
    expect(mlflow.anyOf?.map((s) => s.required?.[0])).toEqual([
      'dataframe_split',
      'dataframe_records',
      'instances',
      'inputs',
    ]);
  });
});
