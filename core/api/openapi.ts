/**
 * The edge's OpenAPI 3.1 document, generated from the zod schemas that validate its requests and
 * describe its answers (JSON Schema 2020-12, OpenAPI 3.1's dialect, by `z.toJSONSchema`). The
 * schemas that live beside their routes in edge/ come in as `EdgeSchemas`, since core/ imports no
 * other layer.
 */
import { z, type ZodType } from 'zod';
import { policySchema } from '../automation/policy';
import {
  aliasRequestSchema,
  errorBodySchema,
  feedbackRequestSchema,
  feedbackResponseSchema,
  createdKeySchema,
  keyCreateRequestSchema,
  keyListResponseSchema,
  keyRevokedResponseSchema,
  modelEventSchema,
  modelInfoSchema,
  modelSettingsRequestSchema,
  modelVersionStatusSchema,
  predictRequestSchema,
  predictResponseSchema,
  publishResponseSchema,
  rolloutRequestSchema,
  type Scope,
} from './contract';

/** Request schemas declared beside their routes in edge/. */
export interface EdgeSchemas {
  v2InferRequest: ZodType;
  tfServingPredictRequest: ZodType;
  mlflowRequest: ZodType;
  jobClaimRequest: ZodType;
  jobHeartbeatRequest: ZodType;
  jobCompleteRequest: ZodType;
}

/** A body that is not JSON: its media type and a JSON Schema for it. */
interface RawBody {
  media: string;
  schema: Record<string, unknown>;
}

interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** An OpenAPI path template: `{name}` for a parameter. */
  path: string;
  summary: string;
  tag:
    | 'health'
    | 'registry'
    | 'keys'
    | 'predict'
    | 'tf-serving'
    | 'mlflow'
    | 'open-inference'
    | 'monitoring'
    | 'automation';
  request?: ZodType | RawBody;
  response?: ZodType | RawBody;
  /** The key scope it needs; 'read' for a route open on public models that needs a predict key on private ones. */
  scope?: Scope | 'read';
  query?: string[];
  /** Routes `flywheel serve` adds; MLflow's error shape. */
  mlflow?: boolean;
  /** TF Serving's error shape, `{"error": "…"}`. */
  tfServing?: boolean;
  /** Success statuses (default 200 only): 201 where it creates something. */
  success?: ('200' | '201')[];
}

const text = (media: string): RawBody => ({ media, schema: { type: 'string' } });
const zip: RawBody = { media: 'application/zip', schema: { type: 'string', contentMediaType: 'application/zip' } };
const mlflowErrorSchema = z.strictObject({ error_code: z.string(), message: z.string() });
/** The Open Inference Protocol's error shape. */
const oipErrorSchema = z.strictObject({ error: z.string() });
/** Triton's binary tensor data extension: the JSON request or response, `Inference-Header-Content-Length` bytes, then the tensors' bytes. */
const oipBinary = {
  'application/octet-stream': {
    schema: {
      type: 'string',
      contentMediaType: 'application/octet-stream',
      description:
        'binary tensor data extension: JSON of Inference-Header-Content-Length bytes, then the binary tensors',
    },
  },
};
const tfServingErrorSchema = z.strictObject({ error: z.string() });
const mlflowResponseSchema = z.strictObject({ predictions: z.array(z.union([z.string(), z.number(), z.null()])) });

function operations(s: EdgeSchemas): Operation[] {
  return [
    { method: 'get', path: '/healthz', summary: 'liveness and version', tag: 'health' },
    { method: 'get', path: '/openapi.json', summary: 'this document', tag: 'health' },
    { method: 'get', path: '/metrics', summary: 'Prometheus metrics', tag: 'monitoring', response: text('text/plain') },
    { method: 'get', path: '/v1/models', summary: 'list models', tag: 'registry' },
    {
      method: 'post',
      path: '/v1/models/{name}/versions',
      summary: 'publish a bundle as a new version',
      tag: 'registry',
      request: zip,
      response: publishResponseSchema,
      scope: 'publish',
      // 201 for a new version, 200 when the bundle is already a version.
      success: ['200', '201'],
    },
    {
      method: 'get',
      path: '/v1/models/{name}',
      summary: "describe a model (with TF Serving's model_version_status and KServe V1's ready)",
      tag: 'registry',
      response: modelInfoSchema,
      scope: 'read',
    },
    {
      method: 'patch',
      path: '/v1/models/{name}',
      summary: 'make a model private or public',
      tag: 'registry',
      request: modelSettingsRequestSchema,
      response: modelInfoSchema,
      scope: 'admin',
    },
    {
      method: 'get',
      path: '/v1/models/{name}/versions/{version}',
      summary: "a version and its manifest (with TF Serving's model_version_status)",
      tag: 'registry',
      scope: 'read',
    },
    {
      method: 'get',
      path: '/v1/models/{name}/versions/{version}/bundle',
      summary: "download a version's bundle",
      tag: 'registry',
      response: zip,
      scope: 'read',
    },
    {
      method: 'get',
      path: '/v1/keys',
      summary: 'list API keys (never their secrets)',
      tag: 'keys',
      response: keyListResponseSchema,
      scope: 'admin',
    },
    {
      method: 'post',
      path: '/v1/keys',
      summary: 'create an API key of one scope; its secret is in this answer only',
      tag: 'keys',
      request: keyCreateRequestSchema,
      response: createdKeySchema,
      scope: 'admin',
      success: ['201'],
    },
    {
      method: 'delete',
      path: '/v1/keys/{id}',
      summary: 'revoke an API key (not the last admin key, nor the ADMIN_KEY secret on Workers)',
      tag: 'keys',
      response: keyRevokedResponseSchema,
      scope: 'admin',
    },
    {
      method: 'put',
      path: '/v1/models/{name}/aliases/{alias}',
      summary: 'point an alias (champion, …) at a version',
      tag: 'registry',
      request: aliasRequestSchema,
      scope: 'admin',
    },
    {
      method: 'put',
      path: '/v1/models/{name}/rollout',
      summary: 'send a share of traffic to a challenger',
      tag: 'registry',
      request: rolloutRequestSchema,
      scope: 'admin',
    },
    {
      method: 'post',
      path: '/v1/models/{name}/predict',
      summary: 'predict with the champion (or canary split)',
      tag: 'predict',
      request: predictRequestSchema,
      response: predictResponseSchema,
      scope: 'read',
    },
    {
      method: 'post',
      path: '/v1/models/{name}/versions/{version}/predict',
      summary: 'predict with one version',
      tag: 'predict',
      request: predictRequestSchema,
      response: predictResponseSchema,
      scope: 'read',
    },
    {
      method: 'post',
      path: '/v1/models/{name}:predict',
      summary: 'TF Serving / KServe V1 predict: rows (instances) answer predictions, columns (inputs) answer outputs',
      tag: 'tf-serving',
      request: s.tfServingPredictRequest,
      scope: 'read',
      tfServing: true,
    },
    {
      method: 'post',
      path: '/v1/models/{name}/versions/{version}:predict',
      summary: 'TF Serving predict with one version',
      tag: 'tf-serving',
      request: s.tfServingPredictRequest,
      scope: 'read',
      tfServing: true,
    },
    {
      method: 'post',
      path: '/v1/models/{name}/labels/{label}:predict',
      summary: 'TF Serving predict with the version a label (alias: champion, challenger, …) points at',
      tag: 'tf-serving',
      request: s.tfServingPredictRequest,
      scope: 'read',
      tfServing: true,
    },
    {
      method: 'get',
      path: '/v1/models/{name}/metadata',
      summary: 'TF Serving model metadata: the serving_default signature of the version predictions go to',
      tag: 'tf-serving',
      scope: 'read',
      tfServing: true,
    },
    {
      method: 'get',
      path: '/v1/models/{name}/versions/{version}/metadata',
      summary: 'TF Serving metadata of one version',
      tag: 'tf-serving',
      scope: 'read',
      tfServing: true,
    },
    {
      method: 'get',
      path: '/v1/models/{name}/labels/{label}/metadata',
      summary: "TF Serving metadata of a label's version",
      tag: 'tf-serving',
      scope: 'read',
      tfServing: true,
    },
    {
      method: 'get',
      path: '/v1/models/{name}/labels/{label}',
      summary: "TF Serving status of a label's version (model_version_status)",
      tag: 'tf-serving',
      response: z.strictObject({ model_version_status: z.array(modelVersionStatusSchema) }),
      scope: 'read',
      tfServing: true,
    },
    {
      method: 'post',
      path: '/v1/models/{name}/invocations',
      summary: "MLflow's scoring protocol (JSON or text/csv)",
      tag: 'mlflow',
      request: s.mlflowRequest,
      response: mlflowResponseSchema,
      scope: 'read',
      mlflow: true,
    },
    {
      method: 'post',
      path: '/v1/models/{name}/feedback',
      summary: 'record true labels for logged predictions (always needs a key: labels train the next model)',
      tag: 'monitoring',
      request: feedbackRequestSchema,
      response: feedbackResponseSchema,
      scope: 'feedback',
    },
    {
      method: 'get',
      path: '/v1/models/{name}/telemetry',
      summary: 'request counts, latency and online metrics',
      tag: 'monitoring',
      query: ['window'],
      scope: 'read',
    },
    {
      method: 'get',
      path: '/v1/models/{name}/drift',
      summary: 'feature drift against the training baseline',
      tag: 'monitoring',
      query: ['window', 'version'],
      scope: 'read',
    },
    {
      method: 'get',
      path: '/v1/models/{name}/events',
      summary: "the model's event log",
      tag: 'monitoring',
      response: z.strictObject({ events: z.array(modelEventSchema) }),
      scope: 'read',
    },
    {
      method: 'put',
      path: '/v1/models/{name}/policy',
      summary: 'set the automation policy',
      tag: 'automation',
      request: policySchema,
      scope: 'admin',
    },
    {
      method: 'get',
      path: '/v1/models/{name}/automation',
      summary: 'automation state and retrain jobs',
      tag: 'automation',
      scope: 'read',
    },
    {
      method: 'get',
      path: '/v1/models/{name}/feedback-data',
      summary: 'labelled feedback as training CSV',
      tag: 'automation',
      query: ['since'],
      response: text('text/csv'),
      scope: 'publish',
    },
    {
      method: 'post',
      path: '/v1/jobs/claim',
      summary: 'claim a retrain job (204 when none)',
      tag: 'automation',
      request: s.jobClaimRequest,
      scope: 'publish',
    },
    {
      method: 'post',
      path: '/v1/jobs/{id}/heartbeat',
      summary: "extend a claimed job's lease",
      tag: 'automation',
      request: s.jobHeartbeatRequest,
      scope: 'publish',
    },
    {
      method: 'post',
      path: '/v1/jobs/{id}/complete',
      summary: 'report a retrain job done or failed',
      tag: 'automation',
      request: s.jobCompleteRequest,
      scope: 'publish',
    },
    {
      method: 'post',
      path: '/v1/jobs/{id}/release',
      summary: 'hand a claimed job back without using an attempt (its runner stopped)',
      tag: 'automation',
      request: s.jobHeartbeatRequest,
      scope: 'publish',
    },
    { method: 'get', path: '/v2', summary: 'server metadata', tag: 'open-inference' },
    { method: 'get', path: '/v2/', summary: 'server metadata', tag: 'open-inference' },
    { method: 'get', path: '/v2/health/live', summary: 'server liveness', tag: 'open-inference' },
    { method: 'get', path: '/v2/health/ready', summary: 'server readiness', tag: 'open-inference' },
    { method: 'get', path: '/v2/models/{name}', summary: 'model metadata', tag: 'open-inference', scope: 'read' },
    {
      method: 'get',
      path: '/v2/models/{name}/versions/{version}',
      summary: 'model version metadata',
      tag: 'open-inference',
      scope: 'read',
    },
    {
      method: 'get',
      path: '/v2/models/{name}/ready',
      summary: 'model readiness (the version routing serves)',
      tag: 'open-inference',
      scope: 'read',
    },
    {
      method: 'get',
      path: '/v2/models/{name}/versions/{version}/ready',
      summary: 'model version readiness',
      tag: 'open-inference',
      scope: 'read',
    },
    {
      method: 'post',
      path: '/v2/models/{name}/infer',
      summary: 'inference',
      tag: 'open-inference',
      request: s.v2InferRequest,
      scope: 'read',
    },
    {
      method: 'post',
      path: '/v2/models/{name}/versions/{version}/infer',
      summary: 'inference with one version',
      tag: 'open-inference',
      request: s.v2InferRequest,
      scope: 'read',
    },
    {
      method: 'post',
      path: '/invocations',
      summary: 'MLflow scoring of the served model (flywheel serve only)',
      tag: 'mlflow',
      request: s.mlflowRequest,
      response: mlflowResponseSchema,
      mlflow: true,
    },
    {
      method: 'get',
      path: '/ping',
      summary: 'MLflow health probe (flywheel serve only)',
      tag: 'mlflow',
      response: text('text/plain'),
      mlflow: true,
    },
    {
      method: 'get',
      path: '/health',
      summary: 'MLflow health probe (flywheel serve only)',
      tag: 'mlflow',
      response: text('text/plain'),
      mlflow: true,
    },
    {
      method: 'get',
      path: '/version',
      summary: 'server version (flywheel serve only)',
      tag: 'mlflow',
      response: text('text/plain'),
      mlflow: true,
    },
  ];
}

/** A zod schema as JSON Schema 2020-12; `io` picks the input side (what a client may send) or the output side. */
function jsonSchema(schema: ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return rest;
}

function content(body: ZodType | RawBody, io: 'input' | 'output'): Record<string, unknown> {
  if ('media' in body) return { [body.media]: { schema: body.schema } };
  return { 'application/json': { schema: jsonSchema(body, io) } };
}

function operationObject(op: Operation): Record<string, unknown> {
  const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const query = (op.query ?? []).map((name) => ({ name, in: 'query', required: false, schema: { type: 'string' } }));
  const oip = op.tag === 'open-inference';
  const error = op.mlflow
    ? { description: "an error in MLflow's shape", content: content(mlflowErrorSchema, 'output') }
    : oip
      ? { description: "an error in the Open Inference Protocol's shape", content: content(oipErrorSchema, 'output') }
      : op.tfServing
        ? { description: "an error in TF Serving's shape", content: content(tfServingErrorSchema, 'output') }
        : {
            description: 'an error: a stable code, a message and the path of what was wrong',
            content: content(errorBodySchema, 'output'),
          };
  const binary = oip && op.request ? oipBinary : {};
  return {
    operationId: `${op.method}${op.path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(\w)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
    summary: op.summary,
    tags: [op.tag],
    ...(params.length || query.length ? { parameters: [...params, ...query] } : {}),
    ...(op.request ? { requestBody: { required: true, content: { ...content(op.request, 'input'), ...binary } } } : {}),
    ...(op.scope && op.scope !== 'read'
      ? { security: [{ bearer: [op.scope] }] }
      : op.scope === 'read'
        ? { security: [{}, { bearer: ['predict'] }] }
        : {}),
    responses: {
      ...Object.fromEntries(
        (op.success ?? ['200']).map((status) => [
          status,
          {
            description: status === '201' ? 'created' : 'success',
            ...(op.response
              ? { content: content(op.response, 'output') }
              : { content: { 'application/json': { schema: {} }, ...binary } }),
          },
        ]),
      ),
      default: error,
    },
  };
}

/** The whole edge API as an OpenAPI 3.1 document. */
export function openApiDocument(version: string, schemas: EdgeSchemas): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations(schemas)) (paths[op.path] ??= {})[op.method] = operationObject(op);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Flywheel edge',
      version,
      description:
        'Registry, prediction (own format, TF Serving / KServe V1, MLflow, Open Inference Protocol), monitoring and automation.',
    },
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'an API key (fw_…) with the predict, publish or admin scope',
        },
      },
    },
  };
}
