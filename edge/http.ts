/** HTTP plumbing shared by every route: the error envelope, request ids, bodies with limits, auth. */
import type { Context, MiddlewareHandler } from 'hono';
import type { ZodType } from 'zod';
import { ERROR_STATUS, type ErrorBody, type Scope } from '../core/api/contract';
import { FlywheelError, isFlywheelError } from '../core/errors';
import { inflateCapped } from '../core/inflate';
import { scopeAllows, type KeyStore } from './keys';
import { isUniqueViolation, SqlError } from './store/sql-error';

/** JSON request bodies above this are refused with 413 (a batch of ~5,000 rows of 20 features fits). */
export const MAX_JSON_BYTES = 4 * 2 ** 20;

export type EdgeEnv = { Variables: { requestId: string; scope: Scope | null } };
export type EdgeContext = Context<EdgeEnv>;

/**
 * The native API's error envelope (README, "The edge API") for anything thrown, with its status; unknown errors become a 500
 * without internals (logged here under the request id). Storage failures a client can act on get
 * their own status: a write that collided with a concurrent one (two isolates, say) is a 409 to
 * retry, a value larger than the database stores (D1 caps rows at 2 MB) a 413.
 */
export function errorEnvelope(e: unknown, requestId: string | undefined): { status: number; body: ErrorBody } {
  if (isUniqueViolation(e))
    e = new FlywheelError('conflict', 'a concurrent request changed the same record; read it again and retry', [
      { path: 'storage', message: 'concurrent write' },
    ]);
  else if (e instanceof SqlError && e.code === 'SQLITE_TOOBIG')
    e = new FlywheelError('too_large', 'a value is larger than the database can store in one row', [
      { path: 'storage', message: 'row too large' },
    ]);
  if (isFlywheelError(e))
    return { status: ERROR_STATUS[e.code], body: { error: { code: e.code, message: e.message, details: e.details } } };
  console.error(`[${requestId ?? '-'}] internal error:`, e);
  return {
    status: 500,
    body: { error: { code: 'internal', message: 'internal error; the request id is in x-request-id', details: [] } },
  };
}

/** `errorEnvelope` as a Hono response. */
export function errorResponse(c: Context, e: unknown): Response {
  const { status, body } = errorEnvelope(e, c.get('requestId'));
  return c.json(body, status as 400);
}

/** The 404 for any path no route answers, in the error envelope. */
export function notFoundResponse(c: Context): Response {
  return errorResponse(
    c,
    new FlywheelError('not_found', `no route for ${c.req.method} ${new URL(c.req.url).pathname}`),
  );
}

/** Request ids a client may choose (sent as `x-request-id`); anything else gets a fresh UUID. */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The request's id: the client's `x-request-id` when it is a sane token, else a new time-ordered UUID. */
export function requestIdOf(given: string | undefined): string {
  return given && CLIENT_REQUEST_ID.test(given) ? given : timeOrderedUuid();
}

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Request ids key the
 * prediction log, and keys that grow with time are appended to the end of SQLite's B-tree, where
 * random v4 ids land on a different page for every row: their inserts got slower as the log grew
 * and cost several times more.
 */
export function timeOrderedUuid(): string {
  const now = Date.now();
  if (now !== uuidMs) {
    uuidMs = now;
    // 48 bits of milliseconds as 12 hex digits, a dash after the eighth (a double holds them exactly).
    let ms = now;
    for (let i = 12; i >= 0; i--) {
      if (i === 8) continue;
      uuidText[i] = HEX[ms % 16];
      ms = Math.floor(ms / 16);
    }
  }
  if (randomAt + RANDOM_PER_ID > random.length) {
    crypto.getRandomValues(random);
    randomAt = 0;
  }
  // 19 random hex digits and the variant's two random bits from 10 random bytes: `7xxx-Vxxx-xxxxxxxxxxxx`.
  for (let i = 0; i < RANDOM_TEXT.length; i++) {
    const byte = random[randomAt + (i >> 1)];
    const nibble = i & 1 ? byte & 15 : byte >> 4;
    const at = RANDOM_TEXT[i];
    uuidText[at] = at === VARIANT_AT ? HEX[8 | (nibble & 3)] : HEX[nibble];
  }
  randomAt += RANDOM_PER_ID;
  // One flat string from the bytes: string concatenation (what crypto.randomUUID does, then the
  // prefix on top) left ~700 bytes of garbage per id.
  return ascii.decode(uuidText);
}

/** The millisecond whose digits are in `uuidText`: a busy server makes many ids per millisecond. */
let uuidMs = -1;
/** The id's text as ASCII codes, the dashes and version digit in place. */
const uuidText = new TextEncoder().encode('00000000-0000-7000-8000-000000000000');
const HEX = new TextEncoder().encode('0123456789abcdef');
/** Where the random digits go, in order; VARIANT_AT takes two random bits after the variant's `10`. */
const RANDOM_TEXT = [15, 16, 17, 19, 20, 21, 22, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35];
const VARIANT_AT = 19;
const RANDOM_PER_ID = 10;
/** Random bytes drawn 4 KB at a time (getRandomValues gives at most 64 KB a call). */
const random = new Uint8Array(4096);
let randomAt = random.length;
const ascii = new TextDecoder();

/** Whether a content-type header names JSON (`application/json`, `application/problem+json`, …). */
export function isJsonType(type: string): boolean {
  return /^application\/(.+\+)?json\b/i.test(type);
}

/** The refusal of a body that is not declared as JSON. */
export function notJson(type: string): FlywheelError {
  return new FlywheelError('bad_input', `expected content-type application/json, got "${type || 'none'}"`, [
    { path: 'content-type', message: 'not JSON' },
  ]);
}

/** Parses JSON text, or fails with a 400 that quotes the parser. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new FlywheelError('bad_input', `the body is not valid JSON: ${(e as Error).message}`, [
      { path: 'body', message: 'invalid JSON' },
    ]);
  }
}

/** Validates parsed JSON with `schema`, failing with a 400 that names every bad field (the first 20). */
export function validated<T>(data: unknown, schema: ZodType<T>): T {
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const details = parsed.error.issues
      .slice(0, 20)
      .map((i) => ({ path: i.path.length ? i.path.map(String).join('.') : 'body', message: i.message }));
    throw new FlywheelError('bad_input', `invalid request: ${details[0].path}: ${details[0].message}`, details);
  }
  return parsed.data;
}

/** Reads a JSON body: checks the content type and size, parses, and validates with `schema`, naming every bad field. */
export async function jsonBody<T>(c: EdgeContext, schema: ZodType<T>): Promise<T>;
/** Without a schema: the parsed JSON, for routes that validate it themselves. */
export async function jsonBody(c: EdgeContext): Promise<unknown>;
export async function jsonBody<T>(c: EdgeContext, schema?: ZodType<T>): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!isJsonType(type)) throw notJson(type);
  const bytes = await readLimited(c, MAX_JSON_BYTES);
  const data = parseJson(new TextDecoder().decode(bytes));
  return schema ? validated(data, schema) : data;
}

/**
 * A refused body is still read and thrown away up to this size, so a client that is still sending
 * gets its 413 instead of a reset connection (workerd resets a connection whose request body was not
 * read); anything larger is cut off. Above Workers' own 100 MB request limit.
 */
const DRAIN_MAX_BYTES = 128 * 2 ** 20;

/**
 * A body its client stopped sending: no fault of the server's, so one line in the log naming the
 * route (not an internal error with a stack trace), and a bad_input error that nobody is left to read.
 */
export function bodyCutShort(method: string, path: string): FlywheelError {
  console.warn(
    `flywheel: ${method} ${path.split('?')[0]}: the client closed the connection before sending the whole body`,
  );
  return new FlywheelError(
    'bad_input',
    'the request body was cut short: the connection closed before all of it arrived',
    [{ path: 'body', message: 'incomplete' }],
  );
}

/** Whether a failed body read means the client went away (Node rejects with `aborted`, code ECONNRESET). */
function isClientAbort(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown; name?: unknown } | null;
  return (
    err !== null &&
    typeof err === 'object' &&
    (err.code === 'ECONNRESET' || err.message === 'aborted' || err.name === 'AbortError')
  );
}

/**
 * The body as bytes, refusing (413) past `limit` — checked on content-length first, then while
 * reading, and on what it inflates to when it comes compressed (`decodedBody`).
 */
export async function readLimited(c: EdgeContext, limit: number): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await readBody(c, limit);
  } catch (e) {
    if (isClientAbort(e)) throw bodyCutShort(c.req.method, new URL(c.req.url).pathname);
    throw e;
  }
  return decodedBody(bytes, c.req.header('content-encoding'), limit);
}

/**
 * The body as sent before its Content-Encoding: gzip or deflate (what tritonclient's
 * `request_compression_algorithm` sends, for one) inflated to at most `limit` bytes, else a 413;
 * identity as it is; any other coding a 400 that names it.
 */
export async function decodedBody(bytes: Uint8Array, encoding: string | undefined, limit: number): Promise<Uint8Array> {
  const coding = (encoding ?? '').trim().toLowerCase();
  if (coding === '' || coding === 'identity') return bytes;
  const format = coding === 'gzip' || coding === 'x-gzip' ? 'gzip' : coding === 'deflate' ? 'deflate' : null;
  if (!format)
    throw new FlywheelError(
      'bad_input',
      `Content-Encoding ${JSON.stringify(encoding)} is not read here: send the body uncompressed, gzip or deflate`,
      [{ path: 'content-encoding', message: 'unsupported' }],
    );
  const inflated = await inflateCapped(bytes, format, limit);
  if (inflated === null)
    throw new FlywheelError(
      'too_large',
      `the body inflates (Content-Encoding: ${coding}) to more than the ${limit.toLocaleString('en-US')}-byte limit`,
      [{ path: 'body', message: 'too large' }],
    );
  if (typeof inflated === 'string')
    throw new FlywheelError('bad_input', `the body is not valid ${coding} data (Content-Encoding): ${inflated}`, [
      { path: 'content-encoding', message: 'not valid' },
    ]);
  return inflated;
}

async function readBody(c: EdgeContext, limit: number): Promise<Uint8Array> {
  const declared = Number(c.req.header('content-length') ?? NaN);
  // With a declared length within the limit the transport stops at that length: read it in one go,
  // much cheaper than pulling a stream chunk by chunk (the common case: every client sends it). On
  // Node, @hono/node-server 2 reads it straight from the IncomingMessage as long as nothing has
  // touched `c.req.raw.body` (which makes the Web stream).
  if (declared <= limit) return new Uint8Array(await c.req.arrayBuffer());
  const body = c.req.raw.body;
  if (declared > limit) {
    if (body) await drain(body.getReader(), declared <= DRAIN_MAX_BYTES ? DRAIN_MAX_BYTES : 0);
    throw tooLarge(limit);
  }
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await drain(reader, DRAIN_MAX_BYTES - total);
      throw tooLarge(limit);
    }
    parts.push(value);
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return out;
}

/** Reads and discards up to `budget` more bytes, then cancels whatever is left. */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, budget: number): Promise<void> {
  let left = budget;
  while (left > 0) {
    const { done, value } = await reader.read();
    if (done) return;
    left -= value.byteLength;
  }
  await reader.cancel();
}

export function tooLarge(limit: number): FlywheelError {
  return new FlywheelError('too_large', `the body is larger than the ${limit.toLocaleString('en-US')}-byte limit`, [
    { path: 'body', message: 'too large' },
  ]);
}

/**
 * The scope of the request's bearer key (null without one). Credentials of another scheme (a proxy's
 * `Basic` auth passed through, say) are not Flywheel's and leave the request anonymous, as inference
 * servers ignore them. A bearer key that is malformed, unknown or revoked is a 401, so a mistyped key
 * is named as such — unless the edge ignores unknown keys (`flywheel serve`: there are none to send).
 */
export async function scopeOf(keys: KeyStore, header: string | undefined): Promise<Scope | null> {
  if (!header || !/^Bearer(?:\s|$)/i.test(header)) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  if (!m) {
    if (keys.ignoresUnknown) return null;
    throw new FlywheelError('unauthorized', 'the Authorization header must be "Bearer <key>"', [
      { path: 'authorization', message: 'malformed' },
    ]);
  }
  const scope = await keys.verify(m[1]);
  if (!scope && !keys.ignoresUnknown)
    throw new FlywheelError('unauthorized', 'the API key is unknown or revoked', [
      { path: 'authorization', message: 'invalid key' },
    ]);
  return scope;
}

/** Reads the bearer key (if any) into `scope`. */
export function authenticate(keys: KeyStore): MiddlewareHandler<EdgeEnv> {
  return async (c, next) => {
    c.set('scope', await scopeOf(keys, c.req.header('authorization')));
    await next();
  };
}

/** Throws 401 without a key and 403 when the key's scope is not enough. */
export function requireScope(c: EdgeContext, need: Scope): void {
  const have = c.get('scope');
  if (!have)
    throw new FlywheelError(
      'unauthorized',
      `this needs an API key with the "${need}" scope (Authorization: Bearer <key>)`,
      [{ path: 'authorization', message: 'missing key' }],
    );
  if (!scopeAllows(have, need))
    throw new FlywheelError('forbidden', `this needs the "${need}" scope; the key has "${have}"`, [
      { path: 'authorization', message: 'insufficient scope' },
    ]);
}
