/** GET /openapi.json: the edge's OpenAPI 3.1 document (core/api/openapi.ts), built once per edge. */
import { Hono } from 'hono';
import { openApiDocument } from '../../core/api/openapi';
import type { EdgeEnv } from '../http';
import { inferSchema, mlflowRequestSchema, tfServingPredictSchema } from '../protocols';
import type { EdgeServices } from '../services';
import { claimSchema, completeSchema, runnerSchema } from './automation';

export function openApiRoutes(svc: EdgeServices): Hono<EdgeEnv> {
  const r = new Hono<EdgeEnv>();
  let document: Record<string, unknown> | null = null;
  r.get('/openapi.json', (c) => {
    document ??= openApiDocument(svc.ports.version, {
      v2InferRequest: inferSchema,
      tfServingPredictRequest: tfServingPredictSchema,
      mlflowRequest: mlflowRequestSchema,
      jobClaimRequest: claimSchema,
      jobHeartbeatRequest: runnerSchema,
      jobCompleteRequest: completeSchema,
    });
    return c.json(document);
  });
  return r;
}
