/**
 * The edge's HTTP contract, declared once: request schemas (validated at the boundary with zod) and
 * response types, shared by the edge, the CLI, the web app and the contract tests.
 */
import { z } from 'zod';
import type { DatasetDriftResult } from '../drift/dataset-drift';
import type { FeatureDriftResult } from '../drift/types';
import type { ErrorCode, ErrorDetail } from '../errors';
import type { FeatureDistributions } from '../telemetry/drift-distributions';
import type { TelemetrySummary } from '../telemetry/summary';

/** HTTP status of each error code. */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  bad_input: 400,
  bad_spec: 400,
  bad_source: 400,
  bad_data: 400,
  bad_schema: 400,
  bad_bundle: 400,
  bad_model: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  unsupported: 422,
  cancelled: 409,
  internal: 500,
};

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details: ErrorDetail[] };
}

/** Key scopes, each implying the ones before it except `feedback`'s own: `predict` may also send feedback, a `feedback` key only that. */
export const SCOPES = ['feedback', 'predict', 'publish', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** Model names become URL path segments and storage keys: a conservative alphabet, no traversal. */
export const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

const row = z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]);

/** Flywheel's predict body, and TF Serving / KServe V1's (`instances` rows, or `inputs` as rows or columns). */
export const predictRequestSchema = z.union([
  z.strictObject({ instances: z.array(row).min(1) }),
  z.strictObject({ inputs: z.union([z.array(row).min(1), z.record(z.string(), z.array(z.unknown()))]) }),
]);
export type PredictRequest = z.infer<typeof predictRequestSchema>;

export type Prediction = { label: string; probabilities: Record<string, number> } | { value: number };

/** A field of a served row that training never saw: the row is still predicted (TFDV's skew checks). */
export interface InputWarning {
  /** The row's index in the request. */
  row: number;
  field: string;
  kind: 'unseen_category' | 'out_of_range';
  message: string;
}

export interface PredictResponse {
  predictions: Prediction[];
  model_version: number;
  request_ids: string[];
  /** Present when a field of some row is outside what training saw. */
  warnings?: InputWarning[];
}

export const aliasRequestSchema = z.strictObject({
  version: z.number().int().positive(),
  reason: z.string().max(500).optional(),
});
export const rolloutRequestSchema = z.strictObject({
  challenger: z.number().int().positive(),
  weight: z.number().min(0).max(1),
  reason: z.string().max(500).optional(),
});
export const feedbackRequestSchema = z.strictObject({
  items: z
    .array(
      z.strictObject({
        request_id: z.string().min(1).max(100),
        label: z.union([z.string(), z.number(), z.boolean()], {
          error: 'a label is a class name (or a boolean) for a classifier, a number for a regressor',
        }),
      }),
    )
    .min(1)
    .max(10_000),
});

export interface VersionInfo {
  version: number;
  bundle_id: string;
  task: 'classification' | 'regression';
  metrics: Record<string, number | null>;
  size: number;
  created_at: string;
}

export interface ModelInfo {
  name: string;
  private: boolean;
  versions: VersionInfo[];
  aliases: Record<string, number>;
  rollout: { challenger: number; weight: number } | null;
  policy: unknown;
  /** KServe V1's model readiness: whether a prediction can be served (the model has a version). */
  ready: boolean;
  /** TF Serving's model status (GetModelStatusResponse): every stored version, each available. */
  model_version_status: ModelVersionStatus[];
}

/** The task of a model: its champion's, else its newest version's; undefined while it has none. */
export function modelTask(info: Pick<ModelInfo, 'versions' | 'aliases'>): VersionInfo['task'] | undefined {
  return (info.versions.find((v) => v.version === info.aliases.champion) ?? info.versions.at(-1))?.task;
}

/** One version's status as TF Serving's `GET /v1/models/{name}` reports it. */
export interface ModelVersionStatus {
  version: string;
  state: 'AVAILABLE';
  status: { error_code: 'OK'; error_message: string };
}

export interface PublishResponse {
  model: string;
  version: number;
  bundle_id: string;
  /** false when this exact bundle was already published (idempotent). */
  created: boolean;
}

export interface FeedbackResponse {
  accepted: number;
  /** Request ids with no logged prediction (unknown, or already expired). */
  unmatched: string[];
  /** Ids that already had feedback (the first label is kept). */
  duplicates: string[];
}

/** Online metrics of one version, from the feedback received in a window. */
export interface OnlineMetrics {
  version: number;
  feedback: number;
  accuracy?: number;
  mae?: number;
  rmse?: number;
}

/** `GET /v1/models/{name}/telemetry[?window=1h]`: traffic per version and over time, and online metrics. */
export type TelemetryResponse = TelemetrySummary & { online: OnlineMetrics[] };

export interface HealthResponse {
  status: string;
  version: string;
}

export interface ModelListResponse {
  models: { name: string; versions: number; latest: number; champion: number | null }[];
}

export interface AliasResponse {
  model: string;
  alias: string;
  version: number;
  previous: number | null;
}

export interface RolloutResponse {
  model: string;
  challenger: number;
  weight: number;
}

/** What a runner hears back from a heartbeat, a release or a completion. */
export interface JobStatusResponse {
  id: string;
  status: string;
  attempts: number;
}

/** A retrain job as a runner receives it. */
export interface RetrainJob {
  id: string;
  model: string;
  attempts: number;
  max_attempts: number;
  payload: {
    model: string;
    trigger: { cause: string; reason: string };
    spec: unknown;
    champion: { version: number; metrics: Record<string, number | null> };
    feedback: string;
    /** Caps the search budget of an `auto` spec (the policy's `searchBudget`). */
    searchBudget?: string;
  };
}

export interface ModelEvent {
  id: number;
  model: string;
  at: string;
  type: string;
  reason: string;
  data: unknown;
}

/** One feature of `GET /v1/models/{name}/drift`: the statistic, both distributions, and the serving window's raw form. */
export interface DriftFeatureReport extends FeatureDriftResult, FeatureDistributions {
  /** The window as recorded: bin counts of a number (null before the baseline was known), or counts per category. */
  current:
    | {
        histogram: {
          edges: ArrayLike<number>;
          counts: ArrayLike<number>;
          underflow?: number;
          overflow?: number;
        } | null;
      }
    | { counts: Readonly<Record<string, number>> };
}

/** `GET /v1/models/{name}/drift[?window=1h&version=N]`: one version's serving window against its training baseline. */
export interface DriftResponse extends Omit<DatasetDriftResult, 'features'> {
  model: string;
  version: number;
  window_ms: number;
  features: DriftFeatureReport[];
}

// Response schemas: what the edge answers, as zod, for the OpenAPI document (core/api/openapi.ts)
// and for clients that check answers. The interfaces above stay the types the code uses; the
// `Same` checks below fail the build when a schema and its interface drift apart.

export const errorBodySchema = z.strictObject({
  error: z.strictObject({
    code: z.string(),
    message: z.string(),
    details: z.array(z.strictObject({ path: z.string(), message: z.string() })),
  }),
});
export const predictionSchema = z.union([
  z.strictObject({ label: z.string(), probabilities: z.record(z.string(), z.number()) }),
  z.strictObject({ value: z.number() }),
]);
export const inputWarningSchema = z.strictObject({
  row: z.number().int(),
  field: z.string(),
  kind: z.enum(['unseen_category', 'out_of_range']),
  message: z.string(),
});
export const predictResponseSchema = z.strictObject({
  predictions: z.array(predictionSchema),
  model_version: z.number().int(),
  request_ids: z.array(z.string()),
  warnings: z.array(inputWarningSchema).optional(),
});
export const versionInfoSchema = z.strictObject({
  version: z.number().int(),
  bundle_id: z.string(),
  task: z.enum(['classification', 'regression']),
  metrics: z.record(z.string(), z.number().nullable()),
  size: z.number().int(),
  created_at: z.string(),
});
export const modelVersionStatusSchema = z.strictObject({
  version: z.string(),
  state: z.literal('AVAILABLE'),
  status: z.strictObject({ error_code: z.literal('OK'), error_message: z.string() }),
});
export const modelInfoSchema = z.strictObject({
  name: z.string(),
  private: z.boolean(),
  versions: z.array(versionInfoSchema),
  aliases: z.record(z.string(), z.number().int()),
  rollout: z.strictObject({ challenger: z.number().int(), weight: z.number() }).nullable(),
  policy: z.unknown(),
  ready: z.boolean(),
  model_version_status: z.array(modelVersionStatusSchema),
});
export const publishResponseSchema = z.strictObject({
  model: z.string(),
  version: z.number().int(),
  bundle_id: z.string(),
  created: z.boolean(),
});
export const feedbackResponseSchema = z.strictObject({
  accepted: z.number().int(),
  unmatched: z.array(z.string()),
  duplicates: z.array(z.string()),
});
/** An OpenAPI 3.1 document: an object with `openapi`, `info` and `paths` at least; the rest is read as it comes. */
export const openApiDocumentSchema = z.looseObject({
  openapi: z.string(),
  info: z.record(z.string(), z.unknown()),
  paths: z.record(z.string(), z.unknown()),
});
export const modelEventSchema = z.strictObject({
  id: z.number().int(),
  model: z.string(),
  at: z.string(),
  type: z.string(),
  reason: z.string(),
  data: z.unknown(),
});

export const onlineMetricsSchema = z.strictObject({
  version: z.number().int(),
  feedback: z.number().int(),
  accuracy: z.number().optional(),
  mae: z.number().optional(),
  rmse: z.number().optional(),
});
export const healthResponseSchema = z.strictObject({ status: z.string(), version: z.string() });
export const modelListResponseSchema = z.strictObject({
  models: z.array(
    z.strictObject({
      name: z.string(),
      versions: z.number().int(),
      latest: z.number().int(),
      champion: z.number().int().nullable(),
    }),
  ),
});
export const aliasResponseSchema = z.strictObject({
  model: z.string(),
  alias: z.string(),
  version: z.number().int(),
  previous: z.number().int().nullable(),
});
export const rolloutResponseSchema = z.strictObject({
  model: z.string(),
  challenger: z.number().int(),
  weight: z.number(),
});
export const policyResponseSchema = z.strictObject({ model: z.string(), policy: z.unknown() });
export const automationResponseSchema = z.strictObject({
  model: z.string(),
  state: z.unknown(),
  jobs: z.array(z.unknown()),
});
export const heartbeatResponseSchema = z.strictObject({ id: z.string(), lease_until: z.number() });
export const jobStatusResponseSchema = z.strictObject({
  id: z.string(),
  status: z.string(),
  attempts: z.number().int(),
});
export const eventsResponseSchema = z.strictObject({ events: z.array(modelEventSchema) });
// The three below check the fields a client reads and keep the rest as sent (a job row, a summary's
// per-version maps and a drift report carry more than is worth restating here).
const trafficSchema = z.looseObject({ requests: z.number(), rows: z.number() });
export const telemetryResponseSchema = z.looseObject({
  from: z.string(),
  to: z.string(),
  step_ms: z.number(),
  totals: trafficSchema,
  versions: z.record(z.string(), trafficSchema),
  series: z.array(z.looseObject({ start: z.string(), requests: z.number() })),
  online: z.array(onlineMetricsSchema),
});
export const driftResponseSchema = z.looseObject({
  model: z.string(),
  version: z.number().int(),
  window_ms: z.number(),
  drift_share: z.number(),
  dataset_drift: z.boolean(),
  features: z.array(z.looseObject({ feature: z.string(), method: z.string(), drifted: z.boolean() })),
});
export const retrainJobSchema = z.looseObject({
  id: z.string(),
  model: z.string(),
  attempts: z.number().int(),
  max_attempts: z.number().int(),
  payload: z.looseObject({
    model: z.string(),
    trigger: z.looseObject({ cause: z.string(), reason: z.string() }),
    spec: z.unknown(),
    champion: z.looseObject({ version: z.number().int(), metrics: z.record(z.string(), z.number().nullable()) }),
    feedback: z.string(),
    searchBudget: z.string().optional(),
  }),
});

/** True when A and B are each assignable to the other; a `true`-typed constant of it checks a schema against its interface. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemasMatchInterfaces: [
  Same<z.infer<typeof predictionSchema>, Prediction>,
  Same<z.infer<typeof predictResponseSchema>, PredictResponse>,
  Same<z.infer<typeof versionInfoSchema>, VersionInfo>,
  Same<z.infer<typeof modelInfoSchema>, ModelInfo>,
  Same<z.infer<typeof publishResponseSchema>, PublishResponse>,
  Same<z.infer<typeof feedbackResponseSchema>, FeedbackResponse>,
  Same<z.infer<typeof modelEventSchema>, ModelEvent>,
  Same<z.infer<typeof onlineMetricsSchema>, OnlineMetrics>,
  Same<z.infer<typeof healthResponseSchema>, HealthResponse>,
  Same<z.infer<typeof modelListResponseSchema>, ModelListResponse>,
  Same<z.infer<typeof aliasResponseSchema>, AliasResponse>,
  Same<z.infer<typeof rolloutResponseSchema>, RolloutResponse>,
  Same<z.infer<typeof jobStatusResponseSchema>, JobStatusResponse>,
] = [true, true, true, true, true, true, true, true, true, true, true, true, true];
void schemasMatchInterfaces;

/** PATCH /v1/models/{name}: whether predictions need a key. */
export const modelSettingsRequestSchema = z.strictObject({ private: z.boolean() });

/** A key's name: a label for people (shown by `flywheel keys list`), so no control characters. */
const keyName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[^\p{Cc}]*$/u, 'a key name has no control characters');

/** `POST /v1/keys`: a new key of one scope (admin only). */
export const keyCreateRequestSchema = z.strictObject({ scope: z.enum(SCOPES), name: keyName.optional() });
/** The new key: its secret `key` exists only in this answer (the edge keeps its sha256). */
export const createdKeySchema = z.strictObject({ id: z.string(), key: z.string(), scope: z.enum(SCOPES) });
export type CreatedKey = z.infer<typeof createdKeySchema>;
export const keyInfoSchema = z.strictObject({
  id: z.string(),
  scope: z.enum(SCOPES),
  name: z.string().nullable(),
  created_at: z.string(),
  revoked_at: z.string().nullable(),
});
export type KeyInfo = z.infer<typeof keyInfoSchema>;
export const keyListResponseSchema = z.strictObject({ keys: z.array(keyInfoSchema) });
export const keyRevokedResponseSchema = z.strictObject({ id: z.string(), revoked: z.literal(true) });
