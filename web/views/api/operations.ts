/** The operations of an OpenAPI 3.1 document (the edge's `GET /openapi.json`), as the API view lists them. */

export interface ApiOperation {
  method: string;
  path: string;
  summary: string;
  tag: string;
  /** Who may call it: `open`, `open; predict key if private`, or the key scope it needs. */
  access: string;
  /** The request body's media types, each with its JSON Schema as text (none without a body). */
  requests: { media: string; schema: string }[];
}

interface OperationObject {
  summary?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

function accessOf(security: OperationObject['security']): string {
  if (!security || security.length === 0) return 'open';
  const scopes = security.flatMap((s) => Object.values(s).flat());
  const open = security.some((s) => Object.keys(s).length === 0);
  return open ? `open; ${scopes.join(', ')} key if private` : `${scopes.join(', ')} key`;
}

/** Every operation of `doc`, grouped by its first tag in the order tags first appear, then in document order. */
export function apiOperations(doc: unknown): ApiOperation[] {
  const paths = (doc as { paths?: Record<string, Record<string, OperationObject>> } | null)?.paths;
  if (!paths || typeof paths !== 'object') throw new Error('not an OpenAPI document: it has no "paths"');
  const out: ApiOperation[] = [];
  for (const [path, item] of Object.entries(paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const requests = Object.entries(op.requestBody?.content ?? {}).map(([media, c]) => ({
        media,
        schema: JSON.stringify(c.schema ?? {}, null, 2),
      }));
      out.push({
        method: method.toUpperCase(),
        path,
        summary: op.summary ?? '',
        tag: op.tags?.[0] ?? 'other',
        access: accessOf(op.security),
        requests,
      });
    }
  }
  const tagOrder = [...new Set(out.map((o) => o.tag))];
  return out
    .map((o, i) => ({ o, i }))
    .sort((a, b) => tagOrder.indexOf(a.o.tag) - tagOrder.indexOf(b.o.tag) || a.i - b.i)
    .map(({ o }) => o);
}
