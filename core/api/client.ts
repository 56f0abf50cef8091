/**
 * The typed client of the edge API: the CLI, the web app and the contract tests all speak to an
 * edge through it. Failures become FlywheelErrors with the server's code, message and details; an
 * answer is checked against its response schema (core/api/contract.ts) before anyone reads it.
 */
import type { ZodType } from 'zod';
import { FlywheelError, type ErrorCode } from '../errors';
import {
  aliasResponseSchema,
  automationResponseSchema,
  createdKeySchema,
  driftResponseSchema,
  eventsResponseSchema,
  feedbackResponseSchema,
  healthResponseSchema,
  heartbeatResponseSchema,
  jobStatusResponseSchema,
  keyListResponseSchema,
  keyRevokedResponseSchema,
  modelInfoSchema,
  modelListResponseSchema,
  openApiDocumentSchema,
  policyResponseSchema,
  predictResponseSchema,
  publishResponseSchema,
  retrainJobSchema,
  rolloutResponseSchema,
  telemetryResponseSchema,
  type AliasResponse,
  type CreatedKey,
  type DriftResponse,
  type ErrorBody,
  type FeedbackResponse,
  type HealthResponse,
  type JobStatusResponse,
  type KeyInfo,
  type ModelEvent,
  type ModelInfo,
  type ModelListResponse,
  type PredictResponse,
  type PublishResponse,
  type RetrainJob,
  type RolloutResponse,
  type Scope,
  type TelemetryResponse,
} from './contract';

export interface ClientOptions {
  key?: string;
  fetch?: typeof fetch;
}

export interface PredictOptions {
  version?: number;
  routingKey?: string;
  /** Sent as `x-request-id`; the edge uses it for the prediction's request id (one row) or as their prefix. */
  requestId?: string;
}

export class EdgeClient {
  private readonly base: string;
  private readonly doFetch: typeof fetch;

  constructor(
    baseUrl: string,
    private readonly options: ClientOptions = {},
  ) {
    this.base = baseUrl.replace(/\/+$/, '');
    this.doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** A raw request with the key attached; the response is returned as is. */
  async raw(
    method: string,
    path: string,
    init: { body?: BodyInit; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { ...init.headers };
    if (this.options.key) headers.authorization = `Bearer ${this.options.key}`;
    try {
      return await this.doFetch(`${this.base}${path}`, { method, body: init.body, headers });
    } catch (e) {
      throw new FlywheelError('bad_source', `cannot reach the edge at ${this.base}: ${(e as Error).message}`, [
        { path: this.base, message: 'unreachable' },
      ]);
    }
  }

  /** A JSON request whose answer must match `schema` (the method's declared type is the schema's). */
  private async json<T>(
    schema: ZodType,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const init =
      body === undefined
        ? { headers }
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } };
    return checked<T>(
      schema,
      await parse(await this.raw(method, path, init), this.base),
      `${method} ${path}`,
      this.base,
    );
  }

  health(): Promise<HealthResponse> {
    return this.json(healthResponseSchema, 'GET', '/healthz');
  }

  /** The edge's OpenAPI 3.1 document (`GET /openapi.json`). */
  openApi(): Promise<Record<string, unknown>> {
    return this.json(openApiDocumentSchema, 'GET', '/openapi.json');
  }

  listModels(): Promise<ModelListResponse> {
    return this.json(modelListResponseSchema, 'GET', '/v1/models');
  }

  model(name: string): Promise<ModelInfo> {
    return this.json(modelInfoSchema, 'GET', `/v1/models/${encodeURIComponent(name)}`);
  }

  async publish(name: string, bundle: Uint8Array): Promise<PublishResponse> {
    const res = await this.raw('POST', `/v1/models/${encodeURIComponent(name)}/versions`, {
      body: bundle as Uint8Array<ArrayBuffer>,
      headers: { 'content-type': 'application/zip' },
    });
    return checked<PublishResponse>(
      publishResponseSchema,
      await parse(res, this.base),
      `POST /v1/models/${name}/versions`,
      this.base,
    );
  }

  predict(name: string, instances: unknown[], options: PredictOptions = {}): Promise<PredictResponse> {
    const path = options.version
      ? `/v1/models/${encodeURIComponent(name)}/versions/${options.version}/predict`
      : `/v1/models/${encodeURIComponent(name)}/predict`;
    const headers: Record<string, string> = {};
    if (options.routingKey) headers['x-routing-key'] = options.routingKey;
    if (options.requestId) headers['x-request-id'] = options.requestId;
    return this.json(predictResponseSchema, 'POST', path, { instances }, headers);
  }

  feedback(name: string, items: { request_id: string; label: string | number | boolean }[]): Promise<FeedbackResponse> {
    return this.json(feedbackResponseSchema, 'POST', `/v1/models/${encodeURIComponent(name)}/feedback`, { items });
  }

  setAlias(name: string, alias: string, version: number, reason?: string): Promise<AliasResponse> {
    return this.json(
      aliasResponseSchema,
      'PUT',
      `/v1/models/${encodeURIComponent(name)}/aliases/${encodeURIComponent(alias)}`,
      { version, ...(reason ? { reason } : {}) },
    );
  }

  setRollout(name: string, challenger: number, weight: number, reason?: string): Promise<RolloutResponse> {
    return this.json(rolloutResponseSchema, 'PUT', `/v1/models/${encodeURIComponent(name)}/rollout`, {
      challenger,
      weight,
      ...(reason ? { reason } : {}),
    });
  }

  telemetry(name: string, window = '1h'): Promise<TelemetryResponse> {
    return this.json(
      telemetryResponseSchema,
      'GET',
      `/v1/models/${encodeURIComponent(name)}/telemetry?window=${encodeURIComponent(window)}`,
    );
  }

  /** One version's drift (the champion's unless `version` names another, such as the canary's). */
  drift(name: string, window = '1h', version?: number): Promise<DriftResponse> {
    const v = version === undefined ? '' : `&version=${version}`;
    return this.json(
      driftResponseSchema,
      'GET',
      `/v1/models/${encodeURIComponent(name)}/drift?window=${encodeURIComponent(window)}${v}`,
    );
  }

  setPolicy(name: string, policy: unknown): Promise<{ model: string; policy: unknown }> {
    return this.json(policyResponseSchema, 'PUT', `/v1/models/${encodeURIComponent(name)}/policy`, policy);
  }

  automation(name: string): Promise<{ model: string; state: unknown; jobs: unknown[] }> {
    return this.json(automationResponseSchema, 'GET', `/v1/models/${encodeURIComponent(name)}/automation`);
  }

  /** The next retrain job (of one of `models`, when given), leased to `runner`; null when there is none. */
  async claimJob(runner: string, models?: readonly string[]): Promise<RetrainJob | null> {
    const res = await this.raw('POST', '/v1/jobs/claim', {
      body: JSON.stringify(models?.length ? { runner, models } : { runner }),
      headers: { 'content-type': 'application/json' },
    });
    if (res.status === 204) return null;
    return checked<RetrainJob>(retrainJobSchema, await parse(res, this.base), 'POST /v1/jobs/claim', this.base);
  }

  heartbeat(id: string, runner: string): Promise<{ id: string; lease_until: number }> {
    return this.json(heartbeatResponseSchema, 'POST', `/v1/jobs/${encodeURIComponent(id)}/heartbeat`, { runner });
  }

  /** Hands a claimed job back to the queue without using one of its attempts (the runner is stopping). */
  releaseJob(id: string, runner: string): Promise<JobStatusResponse> {
    return this.json(jobStatusResponseSchema, 'POST', `/v1/jobs/${encodeURIComponent(id)}/release`, { runner });
  }

  completeJob(
    id: string,
    outcome:
      { runner: string; status: 'succeeded'; version: number } | { runner: string; status: 'failed'; error: string },
  ): Promise<JobStatusResponse> {
    return this.json(jobStatusResponseSchema, 'POST', `/v1/jobs/${encodeURIComponent(id)}/complete`, outcome);
  }

  /** Labelled rows collected at the edge (features + target) as CSV text. */
  async feedbackData(path: string): Promise<string> {
    const res = await this.raw('GET', path);
    if (!res.ok) await parse(res, this.base);
    return res.text();
  }

  events(name: string): Promise<{ events: ModelEvent[] }> {
    return this.json(eventsResponseSchema, 'GET', `/v1/models/${encodeURIComponent(name)}/events`);
  }

  /** A new key (admin only); its secret is in this answer only. */
  createKey(scope: Scope, name?: string): Promise<CreatedKey> {
    return this.json(createdKeySchema, 'POST', '/v1/keys', name === undefined ? { scope } : { scope, name });
  }

  listKeys(): Promise<{ keys: KeyInfo[] }> {
    return this.json(keyListResponseSchema, 'GET', '/v1/keys');
  }

  revokeKey(id: string): Promise<{ id: string; revoked: true }> {
    return this.json(keyRevokedResponseSchema, 'DELETE', `/v1/keys/${encodeURIComponent(id)}`);
  }
}

/** The body of an answer that `schema` allows, as T; otherwise an error naming each field that is wrong. */
function checked<T>(schema: ZodType, body: unknown, call: string, base: string): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data as T;
  const details = result.error.issues.map((i) => ({
    path: i.path.map(String).join('.') || '(body)',
    message: i.message,
  }));
  throw new FlywheelError(
    'internal',
    `${base} answered ${call} with a body the API contract does not allow: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`,
    details,
  );
}

async function parse(res: Response, base: string): Promise<unknown> {
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    throw new FlywheelError('internal', `${base} answered ${res.status} with a body that is not JSON`, []);
  }
  if (!res.ok) {
    const err = (body as ErrorBody | null)?.error;
    throw new FlywheelError(
      (err?.code ?? 'internal') as ErrorCode,
      err?.message ?? `HTTP ${res.status}`,
      err?.details ?? [],
    );
  }
  return body;
}
