/**
 * Own-format predict straight off the TCP socket, for connections that send nothing else. Node's
 * HTTP server spends more per request on its IncomingMessage, ServerResponse and their streams than
 * the edge spends predicting (bench/edge: a bare node:http JSON echo ~31 µs per request here, the
 * same echo off the socket ~19 µs), and issue 4 asks for 0.6 of a hello world's throughput.
 *
 * Only a strict subset of HTTP/1.1 is read here: a complete `POST /v1/models/{name}[/versions/{v}]/predict
 * HTTP/1.1` request whose head and body are both already in the buffer, CRLF line endings, token
 * header names, no control characters in values, no header twice, a Content-Length within the body
 * limit, no Transfer-Encoding, Expect or Upgrade, a Host the Hono adapter accepts. The first request
 * on a connection that is anything else — another route, a partial request, an odd header — hands
 * the connection, with every byte not yet answered, to Node's HTTP server for good (the same
 * `emit('connection')` a TLS-or-HTTP sniffer uses), so llhttp parses everything this does not, and
 * the two never disagree on where a request ends. The answer is built by the same `answer` as on
 * Node's server (edge/runtime/node-predict.ts), and edge/runtime/node-predict.test.ts checks both
 * against the Hono route.
 */
import { STATUS_CODES, type Server as HttpServer } from 'node:http';
import net from 'node:net';
import type { CorsOrigins } from '../cors';
import { MAX_JSON_BYTES } from '../http';
import type { EdgeServices } from '../services';
import { answer, hostAccepted, OWN_PREDICT, type PredictInput, type RawAnswerTarget } from './node-predict';

/** Node's own defaults: an idle keep-alive connection is closed after this, and a head may be this large. */
const KEEP_ALIVE_MS = 5_000;
const KEEP_ALIVE = `Connection: keep-alive\r\nKeep-Alive: timeout=${KEEP_ALIVE_MS / 1000}\r\n`;
const STATUS_200 = 'HTTP/1.1 200 OK\r\n';
const MAX_HEAD_BYTES = 16 * 1024;
const HEAD_END = '\r\n\r\n';
/** Bytes of later requests held while one is answered; past this the socket is not read until it is done. */
const MAX_WAITING_BYTES = 64 * 1024;
const REQUEST_LINE = /^POST (\/[^ ]*) HTTP\/1\.1$/;
const DIGITS = /^[0-9]{1,9}$/;

export interface RawPredictOptions {
  services: EdgeServices;
  /** Headers on every answer (name, value pairs), as the app's outer middleware adds them. */
  headers: readonly string[];
  corsOrigins: CorsOrigins;
  /** Node's server, not listening itself: it takes the connections handed over. */
  http: HttpServer;
}

/** Requests this path answered, connections it handed over, and waits for a client to read its answers (for tests and the curious). */
export const rawPathCounts = { answered: 0, handedOver: 0, drainWaits: 0 };

/** A TCP server that answers own-format predict itself and gives every other connection to `o.http`. */
export function rawPredictServer(o: RawPredictOptions): net.Server & { closeIdle(): void } {
  const open = new Set<Connection>();
  const server = net.createServer({ noDelay: true }, (socket) => {
    const c = new Connection(socket, o, open);
    open.add(c);
    c.start();
  }) as net.Server & { closeIdle(): void };
  // Node's HTTP server starts watching its connections (headersTimeout, requestTimeout, idle ones to
  // close) when it starts listening. It never listens here, so it is told when this server does:
  // connections handed over get the same protection from slow clients as on a server of its own.
  server.once('listening', () => o.http.emit('listening'));
  server.closeIdle = () => {
    for (const c of open) c.closeIfIdle();
    // Stops that watch and closes idle handed-over connections; "not running" is expected.
    o.http.close(() => {});
  };
  return server;
}

/**
 * Headers this path reads or refuses to handle. Every header is checked (token name, no control
 * characters), but only these are kept, and only these may not repeat: others never reach the
 * answer (Node would join repeats of most of them).
 */
const READ = ['host', 'content-type', 'content-length', 'transfer-encoding', 'connection', 'expect', 'upgrade', 'authorization', 'x-request-id', 'origin', 'x-routing-key'] as const;
const HOST = 0;
const CONTENT_LENGTH = 2;
const TRANSFER_ENCODING = 3;
const CONNECTION = 4;
const EXPECT = 5;
const UPGRADE = 6;
/** A READ header's index by name, for `header()`. */
const READ_INDEX = new Map<string, number>(READ.map((name, i) => [name, i]));
/** READ's names by length, so a header name is matched in place without making a string of it. */
const READ_BY_LENGTH: { index: number; name: string }[][] = [];
for (const [index, name] of READ.entries()) (READ_BY_LENGTH[name.length] ??= []).push({ index, name });

/** A request taken whole: what `answer` reads of it, and how much of the buffer it was. */
class Request implements PredictInput {
  constructor(
    readonly name: string,
    readonly version: string | undefined,
    /** The READ headers' values, by their index in READ (undefined: absent). */
    private readonly values: (string | undefined)[],
    private readonly bytes: Uint8Array,
    /** Bytes of the buffer this request took. */
    readonly length: number,
    readonly close: boolean,
  ) {}

  header(name: string): string | undefined {
    const i = READ_INDEX.get(name);
    return i === undefined ? undefined : this.values[i];
  }

  body(): Uint8Array {
    return this.bytes;
  }
}

class Connection implements RawAnswerTarget {
  private buffer: Buffer | null = null;
  /** A request is being answered: later bytes wait (answers go out in order). */
  private busy = false;
  private closeAfter = false;
  private closing = false;
  private readonly onData = (chunk: Buffer) => {
    this.buffer = this.buffer === null ? chunk : Buffer.concat([this.buffer, chunk]);
    // A client that sends faster than it reads is not read any further until it catches up.
    if (this.busy && this.buffer.length > MAX_WAITING_BYTES) this.socket.pause();
    this.pump();
  };
  private readonly onDrain = () => {
    this.waitingForDrain = false;
    this.pump();
  };
  /** The last answer is still in the socket's buffer (the client is not reading): no more requests till it drains. */
  private waitingForDrain = false;
  private readonly onTimeout = () => {
    if (!this.busy) this.socket.destroy();
  };
  private readonly onError = () => this.socket.destroy();

  constructor(
    private readonly socket: net.Socket,
    private readonly o: RawPredictOptions,
    private readonly open: Set<Connection>,
  ) {}

  get destroyed(): boolean {
    return this.socket.destroyed;
  }

  start(): void {
    this.socket.on('data', this.onData);
    this.socket.on('error', this.onError);
    this.socket.once('close', () => this.open.delete(this));
    this.socket.setTimeout(KEEP_ALIVE_MS, this.onTimeout);
  }

  /** Server shutdown: an idle connection goes now, a busy one after its answer. */
  closeIfIdle(): void {
    this.closing = true;
    if (!this.busy) this.socket.destroy();
  }

  writeAnswer(status: number, lines: string, body: string): void {
    const close = this.closeAfter || this.closing;
    rawPathCounts.answered++;
    const flushed = this.socket.write(`${status === 200 ? STATUS_200 : `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n`}${lines}Date: ${httpDate()}\r\n${close ? 'Connection: close\r\n' : KEEP_ALIVE}\r\n${body}`);
    this.busy = false;
    if (close) {
      this.socket.end();
      return;
    }
    if (!flushed) {
      rawPathCounts.drainWaits++;
      this.waitingForDrain = true;
      this.socket.pause();
      this.socket.once('drain', this.onDrain);
      return;
    }
    this.pump();
  }

  private pump(): void {
    if (this.waitingForDrain || this.busy || this.socket.destroyed) return;
    if (this.socket.isPaused()) this.socket.resume();
    while (!this.busy && this.buffer !== null && !this.socket.destroyed) {
      const request = parseRequest(this.buffer);
      if (request === null) {
        this.handOver();
        return;
      }
      this.buffer = request.length === this.buffer.length ? null : this.buffer.subarray(request.length);
      this.busy = true;
      this.closeAfter = request.close;
      answer(this.o.services, request, this, request.name, request.version, this.o.headers, this.o.corsOrigins);
    }
  }

  /** From here on Node's HTTP server reads this connection, starting with the bytes not yet answered. */
  private handOver(): void {
    rawPathCounts.handedOver++;
    this.open.delete(this);
    const { socket } = this;
    socket.removeListener('data', this.onData);
    socket.removeListener('error', this.onError);
    socket.removeListener('timeout', this.onTimeout);
    socket.removeListener('drain', this.onDrain);
    socket.setTimeout(0);
    socket.pause();
    if (this.buffer !== null) socket.unshift(this.buffer);
    this.buffer = null;
    this.o.http.emit('connection', socket);
    socket.resume();
  }
}

/** The request at the start of `buf` when this path takes it whole; null to hand the connection over. */
export function parseRequest(buf: Buffer): Request | null {
  // One conversion, then string search (each call into Buffer's native code costs about as much as
  // scanning the head). latin1 keeps one character per byte, as Node reads header values.
  const text = buf.toString('latin1', 0, Math.min(buf.length, MAX_HEAD_BYTES + HEAD_END.length));
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return null;
  let eol = text.indexOf('\r\n');
  const route = routeOf(text.slice(0, eol));
  if (route === null) return null;
  const values: (string | undefined)[] = new Array(READ.length);
  for (let at = eol + 2; at < end; at = eol + 2) {
    eol = text.indexOf('\r\n', at);
    const colon = text.indexOf(':', at);
    if (colon <= at || colon > eol) return null;
    for (let i = at; i < colon; i++) {
      const c = text.charCodeAt(i);
      if (c >= 128 || !TOKEN[c]) return null;
    }
    // The value without the spaces and tabs around it; no control character but tab inside (RFC 9110 §5.5).
    let from = colon + 1;
    let to = eol;
    while (from < to && (text.charCodeAt(from) === SP || text.charCodeAt(from) === HTAB)) from++;
    while (to > from && (text.charCodeAt(to - 1) === SP || text.charCodeAt(to - 1) === HTAB)) to--;
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      if ((c < 32 && c !== HTAB) || c === 127) return null;
    }
    const index = readIndex(text, at, colon);
    if (index < 0) continue;
    if (values[index] !== undefined) return null;
    values[index] = text.slice(from, to);
  }
  if (values[TRANSFER_ENCODING] !== undefined || values[EXPECT] !== undefined || values[UPGRADE] !== undefined) return null;
  const host = values[HOST];
  if (host === undefined || !hostAccepted(host)) return null;
  const connection = values[CONNECTION]?.toLowerCase();
  if (connection !== undefined && connection !== 'keep-alive' && connection !== 'close') return null;
  const declared = values[CONTENT_LENGTH];
  if (declared === undefined || !DIGITS.test(declared)) return null;
  const length = Number(declared);
  const total = end + HEAD_END.length + length;
  if (length > MAX_JSON_BYTES || buf.length < total) return null;
  return new Request(route[1], route[2], values, buf.subarray(end + HEAD_END.length, total), total, connection === 'close');
}

const SP = 32;
const HTAB = 9;

/** The index in READ of the header named by `text`'s characters `[from, to)` (any case), or -1. */
function readIndex(text: string, from: number, to: number): number {
  const candidates = READ_BY_LENGTH[to - from];
  if (candidates === undefined) return -1;
  next: for (const { index, name } of candidates) {
    for (let i = 0; i < name.length; i++) {
      const c = text.charCodeAt(from + i);
      // ASCII upper case to lower; the name is a token, so no other character maps onto a letter.
      if ((c >= 65 && c <= 90 ? c + 32 : c) !== name.charCodeAt(i)) continue next;
    }
    return index;
  }
  return -1;
}

/** Request lines already matched (a server sees few distinct ones); bounded so a client cycling paths cannot grow it. */
const routes = new Map<string, RegExpExecArray | null>();
const MAX_ROUTES = 256;
const MAX_ROUTE_LINE = 512;

/** The own-format predict route a request line names (`[, name, version]`), or null. */
function routeOf(line: string): RegExpExecArray | null {
  let route = routes.get(line);
  if (route !== undefined) return route;
  const m = REQUEST_LINE.exec(line);
  route = m && OWN_PREDICT.exec(m[1]);
  if (line.length <= MAX_ROUTE_LINE) {
    if (routes.size >= MAX_ROUTES) routes.clear();
    routes.set(line, route);
  }
  return route;
}

/** The characters of a token (RFC 9110 §5.6.2), which header names are. */
const TOKEN: boolean[] = Array.from({ length: 128 }, (_, c) => /[!#$%&'*+.^_`|~0-9A-Za-z-]/.test(String.fromCharCode(c)));

let dateSecond = -1;
let dateText = '';

/** The Date header's value, made once a second. */
function httpDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(now).toUTCString();
  }
  return dateText;
}
