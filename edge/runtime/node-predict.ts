/**
 * Flywheel's own predict route on Node without the Web-standard detour. @hono/node-server turns every
 * request into a `Request` and every answer into a `Response` before Node writes it; for a one-row
 * predict that translation costs more than the prediction (bench/edge: a bare Hono JSON echo stops at
 * about 0.4 of Hono's hello world, issue 4 asks for 0.6 with the model, telemetry and the log on). So
 * `POST /v1/models/{name}[/versions/{v}]/predict` is answered here from Node's own request and
 * response objects; every other request goes to the Hono app unchanged.
 *
 * Only the transport differs: the steps are the Hono route's, in its order, through the same
 * functions (request id, key scope, name and version checks, content type, size limit, JSON, the body
 * shape, `EdgeServices.predictRows`, the error envelope), so status, body and headers are the same —
 * edge/runtime/node-predict.test.ts sends the same requests both ways and compares them.
 */
import { ServerResponse, type IncomingMessage, type RequestListener } from 'node:http';
import { corsHeaders, type CorsOrigins } from '../cors';
import { errorEnvelope, isJsonType, MAX_JSON_BYTES, notJson, parseJson, requestIdOf, scopeOf, tooLarge } from '../http';
import { modelName, versionNumber } from '../routes/registry';
import { predictBodyRows } from '../routes/predict';
import type { Scope } from '../../core/api/contract';
import type { EdgeServices, PredictedRows } from '../services';
import { singleRowText } from '../row-text';
import { readIncoming } from './node-body';

/**
 * The paths taken here. Percent-escapes are left to Hono (it decodes them before matching), and so is
 * anything else: `.` and `..` segments (the adapter resolves them), a trailing slash, a second slash,
 * another verb.
 */
export const OWN_PREDICT = /^\/v1\/models\/(?!\.\.?\/)([^/?#%]+)\/(?:versions\/(?!\.\.?\/)([^/?#%]+)\/)?predict(?:\?.*)?$/;
/** Host headers already checked (a server sees few); bounded so a client cycling names cannot grow it. */
const validHosts = new Set<string>();
const MAX_VALID_HOSTS = 64;

/**
 * Requests Hono's adapter would treat specially go to it: a Host header it refuses (400), and several
 * Authorization headers (it joins them and refuses the key; Node keeps only the first).
 */
function unusual(req: IncomingMessage): boolean {
  const host = req.headers.host;
  if (host !== undefined && !hostAccepted(host)) return true;
  if (req.headers.authorization !== undefined) {
    let n = 0;
    for (let i = 0; i < req.rawHeaders.length; i += 2) if (req.rawHeaders[i].toLowerCase() === 'authorization') n++;
    if (n > 1) return true;
  }
  return false;
}

/** Whether Hono's adapter takes this Host header as it is (remembered for the few a server sees). */
export function hostAccepted(host: string): boolean {
  if (validHosts.has(host)) return true;
  if (!adapterAcceptsHost(host)) return false;
  if (validHosts.size >= MAX_VALID_HOSTS) validHosts.clear();
  validHosts.add(host);
  return true;
}

/**
 * Wraps the Hono app's Node listener: own-format predict requests are answered directly, with
 * `headers` (name, value pairs) on every answer as the app's outer middleware would add them.
 */
export function withFastPredict(services: EdgeServices, fallback: RequestListener, headers: readonly string[], corsOrigins: CorsOrigins): RequestListener {
  return (req, res) => {
    const m = req.method === 'POST' ? OWN_PREDICT.exec(req.url ?? '') : null;
    if (m === null || unusual(req)) {
      fallback(req, res);
      return;
    }
    answer(services, { header: (name) => header(req, name), body: () => readIncoming(req, MAX_JSON_BYTES) }, res, m[1], m[2], headers, corsOrigins);
  };
}

/** A predict request as a transport hands it over: its headers (lower-case names) and its body. */
export interface PredictInput {
  header(name: string): string | undefined;
  body(): Promise<Uint8Array> | Uint8Array;
}

/** Where an answer goes: a Node ServerResponse, or a connection that writes its own (edge/runtime/node-raw.ts). */
export interface RawAnswerTarget {
  readonly destroyed: boolean;
  /** `lines`: the answer's header lines, each ending in CRLF, to which the connection adds Date and Connection. */
  writeAnswer(status: number, lines: string, body: string): void;
}

/**
 * The own-format predict route's steps, in its order, for either transport. Nothing waits unless it
 * has to (a key to look up, a body still arriving, a model not yet warm): each await would cost a
 * turn of the microtask queue.
 */
export function answer(services: EdgeServices, input: PredictInput, target: ServerResponse | RawAnswerTarget, rawName: string, rawVersion: string | undefined, base: readonly string[], corsOrigins: CorsOrigins): void {
  const requestId = requestIdOf(input.header('x-request-id'));
  let out: PredictedRows | Promise<PredictedRows>;
  try {
    const authorization = input.header('authorization');
    out = authorization === undefined
      ? afterScope(services, input, rawName, rawVersion, requestId, null)
      : scopeOf(services.keys, authorization).then((scope) => afterScope(services, input, rawName, rawVersion, requestId, scope));
  } catch (e) {
    failed(target, input, base, corsOrigins, requestId, e);
    return;
  }
  // No closures on the path that does not wait: tsx keeps function names, which costs a defineProperty per closure made.
  if (out instanceof Promise) out.then((o) => predicted(target, input, base, corsOrigins, requestId, o), (e: unknown) => failed(target, input, base, corsOrigins, requestId, e));
  else predicted(target, input, base, corsOrigins, requestId, out);
}

/** Answers a prediction: JSON.stringify of the PredictResponse, with each prediction's text as predictRows made it for the log (request ids need no escaping). */
function predicted(target: ServerResponse | RawAnswerTarget, input: PredictInput, base: readonly string[], corsOrigins: CorsOrigins, requestId: string, out: PredictedRows): void {
  const body = `{"predictions":[${out.predictionsJson.join(',')}],"model_version":${out.version},"request_ids":["${out.requestIds.join('","')}"]}`;
  respond(target, input, base, corsOrigins, requestId, 200, out.version, body);
}

/** Answers a failure with the error envelope. */
function failed(target: ServerResponse | RawAnswerTarget, input: PredictInput, base: readonly string[], corsOrigins: CorsOrigins, requestId: string, e: unknown): void {
  const envelope = errorEnvelope(e, requestId);
  respond(target, input, base, corsOrigins, requestId, envelope.status, null, JSON.stringify(envelope.body));
}

/** The steps after the caller's key is known. */
function afterScope(services: EdgeServices, input: PredictInput, rawName: string, rawVersion: string | undefined, requestId: string, scope: Scope | null): PredictedRows | Promise<PredictedRows> {
  const model = modelName(rawName);
  const pinned = rawVersion === undefined ? null : versionNumber(rawVersion);
  const type = input.header('content-type') ?? '';
  if (!isJsonType(type)) throw notJson(type);
  if (Number(input.header('content-length') ?? NaN) > MAX_JSON_BYTES) throw tooLarge(MAX_JSON_BYTES);
  const bytes = input.body();
  return bytes instanceof Uint8Array ? afterBody(services, input, bytes, model, pinned, requestId, scope) : bytes.then((b) => afterBody(services, input, b, model, pinned, requestId, scope));
}

/** The steps once the body is in hand. */
function afterBody(services: EdgeServices, input: PredictInput, bytes: Uint8Array, model: string, pinned: number | null, requestId: string, scope: Scope | null): PredictedRows | Promise<PredictedRows> {
  // TextDecoder, as the Hono route reads bodies: it drops a byte-order mark, Buffer#toString keeps it.
  const text = utf8.decode(bytes);
  const data = parseJson(text);
  const { rows, path } = predictBodyRows(data);
  // The log can keep the row's own text when the body had the plain one-row shape (served.records[0] is then that row).
  const rowJson = rows.length === 1 && rows === (data as { instances?: unknown }).instances ? singleRowText(text) ?? undefined : undefined;
  const call = { model, pinned, rows, path, requestId, scope, routingKey: input.header('x-routing-key') ?? null, rowJson };
  return services.predictRowsNow(call) ?? services.predictRows(call);
}

/**
 * Sends an answer: the outer middleware's headers, CORS, this request's own, then the body, with a
 * length instead of chunked encoding: one write, and what Hono's adapter sends for a string body.
 */
function respond(target: ServerResponse | RawAnswerTarget, input: PredictInput, base: readonly string[], corsOrigins: CorsOrigins, requestId: string, status: number, version: number | null, body: string): void {
  const length = String(Buffer.byteLength(body));
  if (target instanceof ServerResponse) {
    const headers = [...base, ...corsHeaders(corsOrigins, input.header('origin')), 'x-request-id', requestId];
    if (version !== null) headers.push('x-model-version', String(version));
    headers.push('content-type', 'application/json', 'content-length', length);
    outbox.send(target, status, headers, body);
    return;
  }
  // The raw path writes header lines itself: the same headers, as text, the fixed ones made once.
  const lines = `${fixedLines(base, corsOrigins, input.header('origin'))}x-request-id: ${requestId}\r\n${version === null ? '' : `x-model-version: ${version}\r\n`}content-type: application/json\r\ncontent-length: ${length}\r\n`;
  outbox.send(target, status, lines, body);
}

/** The last header lines made by `fixedLines`, and what they were made from: nearly every request asks for the same. */
let fixed: { base: readonly string[]; corsOrigins: CorsOrigins; origin: string | undefined; lines: string } | null = null;

/** The outer middleware's headers and CORS as header lines. */
function fixedLines(base: readonly string[], corsOrigins: CorsOrigins, origin: string | undefined): string {
  if (fixed !== null && fixed.base === base && fixed.corsOrigins === corsOrigins && fixed.origin === origin) return fixed.lines;
  const headers = [...base, ...corsHeaders(corsOrigins, origin)];
  let lines = '';
  for (let i = 0; i < headers.length; i += 2) lines += `${headers[i]}: ${headers[i + 1]}\r\n`;
  fixed = { base, corsOrigins, origin, lines };
  return lines;
}

/**
 * Answers that are ready wait for the end of the event loop's I/O phase and go out together, like
 * Netty's flush consolidation. Every write to a client that is asleep waiting for its answer also
 * wakes it, and the wake-up is paid on the writing thread (an interrupt to another core; in a VM, an
 * exit to the hypervisor): profiles of bench/edge put a tenth of the serving thread there. Written
 * back to back, most answers find their client already awake. On this 2-core machine that took the
 * single-row predict from ~90 to ~60 µs of serving-thread CPU per request. At most MAX_HELD answers
 * wait, so none is held up by more than that many others.
 */
class Outbox {
  /** `headers`: name, value pairs for a ServerResponse, header lines for a raw connection. */
  private readonly held: { res: ServerResponse | RawAnswerTarget; status: number; headers: string[] | string; body: string }[] = [];
  private scheduled = false;
  private readonly flush = () => this.writeAll();

  send(res: ServerResponse, status: number, headers: string[], body: string): void;
  send(res: RawAnswerTarget, status: number, lines: string, body: string): void;
  send(res: ServerResponse | RawAnswerTarget, status: number, headers: string[] | string, body: string): void {
    this.held.push({ res, status, headers, body });
    if (this.held.length >= MAX_HELD) this.writeAll();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
  }

  private writeAll(): void {
    this.scheduled = false;
    const held = this.held.splice(0);
    for (const { res, status, headers, body } of held) {
      // A client that hung up meanwhile gets nothing; Node drops writes to a closed socket.
      if (res.destroyed) continue;
      try {
        if (res instanceof ServerResponse) {
          res.writeHead(status, headers as string[]);
          res.end(body);
        } else res.writeAnswer(status, headers as string, body);
      } catch (e) {
        // One answer that cannot be written must not keep the others from theirs.
        console.error('flywheel: could not write a predict answer; closing its connection:', (e as Error).message);
        if (res instanceof ServerResponse) res.destroy();
      }
    }
  }
}

/** Answers held for one joint write at most. */
const MAX_HELD = 16;
const outbox = new Outbox();

const utf8 = new TextDecoder();

/** @hono/node-server 1.19's check of a Host header (newRequest): it must make a URL whose host name it is. */
function adapterAcceptsHost(host: string): boolean {
  let url: URL;
  try {
    url = new URL(`http://${host}/`);
  } catch {
    return false;
  }
  return url.hostname.length === host.length || url.hostname === host.replace(/:\d+$/, '');
}

/** A request header as one string (Node joins repeated ones, except a few it keeps as the first). */
function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}
