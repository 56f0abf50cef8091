/**
 * Flywheel's own predict route on Node without the Web-standard detour. @hono/node-server turns every
 * request into a `Request` and every answer into a `Response` before Node writes it; for a one-row
 * predict that translation costs more than the prediction (bench/edge). So
 * `POST /v1/models/{name}[/versions/{v}]/predict` is answered here from Node's own request and
 * response objects (llhttp has framed the request); every other request goes to the Hono app unchanged.
 *
 * Only the transport differs: the answer is edge/handle-predict.ts's, as on the Hono route, and the
 * outer headers are edge/outer-headers.ts's, so status, body and headers are the same —
 * edge/runtime/node-predict.test.ts and the contract suite send the same requests both ways.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { handlePredict, type PredictAnswer, type PredictInput } from '../handle-predict';
import { readIncoming } from './node-body';
import { decodedBody, requestIdOf, scopeOf, tooLarge } from '../http';
import { outerHeaders, type OuterHeaderConfig } from '../outer-headers';
import type { EdgeServices } from '../services';

/**
 * The paths taken here. Percent-escapes are left to Hono (it decodes them before matching), and so are
 * backslashes (the adapter refuses them in a path) and anything else: `.` and `..` segments (the adapter resolves them), a trailing slash, a second slash,
 * another verb.
 */
export const OWN_PREDICT =
  /^\/v1\/models\/(?!\.\.?\/)([^/?#%\\]+)\/(?:versions\/(?!\.\.?\/)([^/?#%\\]+)\/)?predict(?:\?.*)?$/;
/** Distinct Host headers remembered as accepted by the adapter (a server sees few); past this the memory starts over. */
const MAX_VALID_HOSTS = 64;

/**
 * Wraps the Hono app's Node listener: own-format predict requests are answered directly, with the
 * outer headers `outer` makes, as the app's middleware adds them.
 */
export function withFastPredict(
  services: EdgeServices,
  fallback: RequestListener,
  outer: OuterHeaderConfig,
  turnEnd?: TurnEnd,
): RequestListener {
  const outbox = new Outbox();
  turnEnd?.afterBatches.push(() => outbox.writeAll());
  /** Host headers already checked, per server. */
  const validHosts = new Set<string>();

  /**
   * Requests Hono's adapter would treat specially go to it: a Host header it refuses (400), and several
   * Authorization headers (it joins them and refuses the key; Node keeps only the first).
   */
  const unusual = (req: IncomingMessage): boolean => {
    const host = req.headers.host;
    if (host !== undefined && !validHosts.has(host)) {
      if (!adapterAcceptsHost(host)) return true;
      if (validHosts.size >= MAX_VALID_HOSTS) validHosts.clear();
      validHosts.add(host);
    }
    if (req.headers.authorization !== undefined) {
      let n = 0;
      for (let i = 0; i < req.rawHeaders.length; i += 2) if (req.rawHeaders[i].toLowerCase() === 'authorization') n++;
      if (n > 1) return true;
    }
    return false;
  };

  /** Sends an answer, counted for /metrics as the Hono app's middleware counts its own (edge/app.ts). */
  const send = (res: ServerResponse, answer: PredictAnswer, input: NodePredictInput) => {
    services.monitor.answered(answer.status);
    outbox.send(res, answer, outerHeaders(outer, input.requestId, input.header('origin')));
  };

  return (req, res) => {
    const m = req.method === 'POST' ? OWN_PREDICT.exec(req.url ?? '') : null;
    if (m === null || unusual(req)) {
      fallback(req, res);
      return;
    }
    const input = new NodePredictInput(req, m[1], m[2], services);
    const answer = handlePredict(services, input);
    // handlePredict answers its own failures; a throw past that (in writing) leaves only the socket to close.
    if (answer instanceof Promise) answer.then((a) => send(res, a, input)).catch(() => res.destroy());
    else send(res, answer, input);
  };
}

/** A Node request as handlePredict reads it. A class, not a literal of closures: one allocation per request. */
class NodePredictInput implements PredictInput {
  readonly requestId: string;

  constructor(
    private readonly req: IncomingMessage,
    readonly name: string,
    readonly version: string | undefined,
    private readonly services: EdgeServices,
  ) {
    this.requestId = requestIdOf(this.header('x-request-id'));
  }

  /** A request header as one string (Node joins repeated ones, except a few it keeps as the first). */
  header(name: string): string | undefined {
    const v = this.req.headers[name];
    return Array.isArray(v) ? v.join(', ') : v;
  }

  scope() {
    const authorization = this.header('authorization');
    return authorization === undefined ? null : scopeOf(this.services.keys, authorization);
  }

  async body(limit: number): Promise<Uint8Array> {
    if (Number(this.header('content-length') ?? NaN) > limit) throw tooLarge(limit);
    return decodedBody(await readIncoming(this.req, limit), this.header('content-encoding'), limit);
  }
}

/**
 * Where a Node edge runs its batches (edge/batching.ts): after the I/O phase (setImmediate), and the
 * answers they make leave in that same turn. Answers are written from a setImmediate of their own
 * (Outbox); one scheduled while the batch runs would wait for the next turn, behind a whole I/O
 * phase of new requests, so the outboxes are written once more right after each batch run.
 */
export class TurnEnd {
  /** Writes what the outboxes hold (withFastPredict adds its own). */
  readonly afterBatches: (() => void)[] = [];
  private readonly writeOutboxes = () => {
    for (const write of this.afterBatches) write();
  };

  readonly defer = (work: () => void): void => {
    setImmediate(work);
    // Node runs the microtasks that settle the batch's requests between the two.
    setImmediate(this.writeOutboxes);
  };
}

/**
 * Answers that are ready wait for the end of the event loop's I/O phase and go out together, like
 * Netty's flush consolidation. Every write to a client that is asleep waiting for its answer also
 * wakes it, and the wake-up is paid on the writing thread (an interrupt to another core; in a VM, an
 * exit to the hypervisor): profiles of bench/edge put a tenth of the serving thread there. Written
 * back to back, most answers find their client already awake. At most MAX_HELD answers wait, so
 * none is held up by more than that many others. Node's parser, not this write, emits the next
 * pipelined request (tests/hostile/transport.test.ts sends deep pipelines).
 */
class Outbox {
  private readonly held: { res: ServerResponse; answer: PredictAnswer; outer: string[] }[] = [];
  private scheduled = false;
  private readonly flush = () => this.writeAll();

  send(res: ServerResponse, answer: PredictAnswer, outer: string[]): void {
    this.held.push({ res, answer, outer });
    if (this.held.length >= MAX_HELD) this.writeAll();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
  }

  writeAll(): void {
    this.scheduled = false;
    const held = this.held.splice(0);
    for (const { res, answer, outer } of held) {
      // A client that hung up meanwhile gets nothing; Node drops writes to a closed socket.
      if (res.destroyed) continue;
      try {
        // A length instead of chunked encoding: one write, and what Hono's adapter sends for a string body.
        outer.push(...answer.headers, 'content-length', String(Buffer.byteLength(answer.body)));
        res.writeHead(answer.status, outer);
        res.end(answer.body);
      } catch (e) {
        // One answer that cannot be written must not keep the others from theirs.
        console.error('flywheel: could not write a predict answer; closing its connection:', (e as Error).message);
        res.destroy();
      }
    }
  }
}

/** Answers held for one joint write at most. */
const MAX_HELD = 16;

/** @hono/node-server 2's plain Host header, taken without a URL made of it (buildUrl's reValidHost). */
const PLAIN_HOST = /^[a-z0-9._-]+(?::(?:[1-5]\d{3,4}|[6-9]\d{3}))?$/;

/** @hono/node-server 2's check of a Host header (buildUrl): plain, or it must make a URL whose host name it is. */
function adapterAcceptsHost(host: string): boolean {
  if (PLAIN_HOST.test(host)) return true;
  let url: URL;
  try {
    url = new URL(`http://${host}/`);
  } catch {
    return false;
  }
  return (
    url.hostname.length === host.length ||
    url.hostname === (host.includes(':') ? host.replace(/:\d+$/, '') : host).toLowerCase()
  );
}
