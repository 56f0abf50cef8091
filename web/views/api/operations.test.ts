import { describe, expect, it } from 'vitest';
import { createEdge } from '../../../edge/app';
import { memoryBlobStore, openSqlite } from '../../../edge/store';
import { apiOperations } from './operations';

describe('apiOperations', () => {
  it("lists every operation of the edge's own document, grouped by tag, with who may call it and its request schema", async () => {
    const { app } = createEdge({
      version: 'ops-test',
      db: openSqlite(':memory:'),
      blobs: memoryBlobStore(),
      now: () => 0,
      allowTfjsFallback: false,
    });
    const doc = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, object> };
    const ops = apiOperations(doc);
    expect(ops).toHaveLength(Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0));
    const predict = ops.find((o) => o.method === 'POST' && o.path === '/v1/models/{name}/labels/{label}:predict')!;
    expect(predict).toMatchObject({ tag: 'tf-serving', access: 'open; predict key if private' });
    expect(JSON.parse(predict.requests[0].schema).anyOf.map((s: { required: string[] }) => s.required)).toEqual([
      ['instances'],
      ['inputs'],
    ]);
    expect(ops.find((o) => o.path === '/v1/models/{name}/versions' && o.method === 'POST')).toMatchObject({
      access: 'publish key',
      requests: [{ media: 'application/zip' }],
    });
    expect(ops.find((o) => o.path === '/healthz')).toMatchObject({ access: 'open', requests: [] });
    // Grouped: once a tag's operations end, it does not come back.
    const tags = ops.map((o) => o.tag).filter((t, i, all) => i === 0 || all[i - 1] !== t);
    expect(new Set(tags).size).toBe(tags.length);
  });

  it('refuses what is not an OpenAPI document', () => {
    expect(() => apiOperations({ openapi: '3.1.0' })).toThrow('no "paths"');
    expect(() => apiOperations(null)).toThrow('no "paths"');
  });
});
