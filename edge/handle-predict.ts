/**
 * Flywheel's own predict (`POST /v1/models/{name}[/versions/{v}]/predict`), transport-free: a
 * request as a transport hands it over in, `{ status, headers, body }` out. The Hono route
 * (edge/routes/predict.ts) and the Node fast path (edge/runtime/node-predict.ts) both answer with it,
 * so the steps, their order, the error envelope and the one serializer are written once.
 *
 * Nothing waits unless it has to (a key to look up, a body still arriving, a model not yet warm):
 * each await would cost a turn of the microtask queue on the path that serves nearly every request.
 */
import type { Scope } from '../core/api/contract';
import { errorEnvelope, isJsonType, MAX_JSON_BYTES, notJson, parseJson } from './http';
import { inputWarnings } from './input-warnings';
import { predictBodyRows } from './routes/predict';
import { modelName, versionNumber } from './routes/registry';
import { singleRowText } from './row-text';
import type { EdgeServices, PredictedRows } from './services';

/** A predict request as a transport hands it over. */
export interface PredictInput {
  /** The model name and version as the path spells them (checked here). */
  name: string;
  version: string | undefined;
  requestId: string;
  /** A request header (lower-case name), repeated ones joined. */
  header(name: string): string | undefined;
  /** The caller's key scope (null: no key); rejects with 401 for a bad key. */
  scope(): Scope | null | Promise<Scope | null>;
  /** The body's bytes; fails with too_large past `limit` (declared or read), having drained what the runtime needs drained. */
  body(limit: number): Uint8Array | Promise<Uint8Array>;
}

/** An answer: `headers` are name, value pairs of this request's own headers (the outer ones are the transport's, from edge/outer-headers.ts). */
export interface PredictAnswer {
  status: number;
  headers: string[];
  body: string;
}

/** Answers an own-format predict request: synchronously when nothing had to wait. */
export function handlePredict(services: EdgeServices, input: PredictInput): PredictAnswer | Promise<PredictAnswer> {
  let out: PredictedRows | Promise<PredictedRows>;
  try {
    const scope = input.scope();
    out =
      scope instanceof Promise ? scope.then((s) => afterScope(services, input, s)) : afterScope(services, input, scope);
  } catch (e) {
    return failed(input, e);
  }
  // No closures on the path that does not wait: tsx keeps function names, which costs a defineProperty per closure made.
  return out instanceof Promise ? out.then(predicted, (e: unknown) => failed(input, e)) : predicted(out);
}

/**
 * The one serializer of a PredictResponse: each prediction's JSON as predictRows made it for the log
 * (request ids need no escaping), and warnings for fields outside what training saw, when there are any.
 */
function predicted(out: PredictedRows): PredictAnswer {
  const warnings = inputWarnings(out.loaded.manifest.signature.inputs, out.records);
  const body = `{"predictions":[${out.predictionsJson.join(',')}],"model_version":${out.version},"request_ids":["${out.requestIds.join('","')}"]${warnings ? `,"warnings":${JSON.stringify(warnings)}` : ''}}`;
  return { status: 200, headers: ['x-model-version', String(out.version), 'content-type', 'application/json'], body };
}

/** A failure as the error envelope. */
function failed(input: PredictInput, e: unknown): PredictAnswer {
  const envelope = errorEnvelope(e, input.requestId);
  return {
    status: envelope.status,
    headers: ['content-type', 'application/json'],
    body: JSON.stringify(envelope.body),
  };
}

/** The steps after the caller's key is known, in the order every route takes them. */
function afterScope(
  services: EdgeServices,
  input: PredictInput,
  scope: Scope | null,
): PredictedRows | Promise<PredictedRows> {
  const model = modelName(input.name);
  const pinned = input.version === undefined ? null : versionNumber(input.version);
  const type = input.header('content-type') ?? '';
  if (!isJsonType(type)) throw notJson(type);
  const bytes = input.body(MAX_JSON_BYTES);
  return bytes instanceof Uint8Array
    ? afterBody(services, input, bytes, model, pinned, scope)
    : bytes.then((b) => afterBody(services, input, b, model, pinned, scope));
}

/** The steps once the body is in hand. */
function afterBody(
  services: EdgeServices,
  input: PredictInput,
  bytes: Uint8Array,
  model: string,
  pinned: number | null,
  scope: Scope | null,
): PredictedRows | Promise<PredictedRows> {
  // TextDecoder drops a byte-order mark, as every JSON route reads bodies; Buffer#toString keeps it.
  const text = utf8.decode(bytes);
  const data = parseJson(text);
  const { rows, path } = predictBodyRows(data);
  // The log can keep the row's own text when the body had the plain one-row shape (served.records[0] is then that row).
  const rowJson =
    rows.length === 1 && rows === (data as { instances?: unknown }).instances
      ? (singleRowText(text) ?? undefined)
      : undefined;
  const call = {
    model,
    pinned,
    rows,
    path,
    requestId: input.requestId,
    scope,
    routingKey: input.header('x-routing-key') ?? null,
    rowJson,
  };
  return services.predictRowsNow(call) ?? services.predictRows(call);
}

const utf8 = new TextDecoder();
