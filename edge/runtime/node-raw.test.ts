/**
 * The raw-socket predict path (edge/runtime/node-raw.ts) against the Hono route, over raw TCP: what
 * it answers itself must read the same, and everything outside its strict subset of HTTP/1.1 must
 * reach Node's HTTP server intact, on the same connection.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EdgeClient } from '../../core/api/client';
import { fixtures, PENGUIN } from '../../tests/contract/fixtures';
import { startNodeEdge, type RunningEdge } from './node';
import { parseRequest, rawPathCounts } from './node-raw';

let dir: string;
let fast: RunningEdge;
let hono: RunningEdge;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'flywheel-raw-'));
  fast = await startNodeEdge({ port: 0, dataDir: dir, version: 'test', autoTick: false });
  hono = await startNodeEdge({ port: 0, dataDir: dir, version: 'test', autoTick: false, fastPredict: false });
  const { penguins } = await fixtures();
  await new EdgeClient(fast.url, { key: fast.adminKey! }).publish('penguins', penguins);
}, 120_000);

afterAll(async () => {
  await fast?.close();
  await hono?.close();
  await rm(dir, { recursive: true, force: true });
});

const one = JSON.stringify({ instances: [PENGUIN] });
const post = (body: string, extra = '', target = '/v1/models/penguins/predict') =>
  `POST ${target} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n${extra}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

/** Writes `parts` (a pause between them) on one connection, half-closes after `endAfterMs`, and returns all it read. */
function exchange(edge: RunningEdge, parts: string[], endAfterMs = 300): Promise<string> {
  return new Promise((resolve, reject) => {
    const { port } = new URL(edge.url);
    const socket = net.connect(Number(port), '127.0.0.1', async () => {
      for (const part of parts) {
        socket.write(part);
        await new Promise((r) => setTimeout(r, 20));
      }
      setTimeout(() => socket.end(), endAfterMs);
    });
    let text = '';
    socket.on('data', (d) => (text += d.toString('latin1')));
    socket.on('end', () => resolve(text));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
}

/** Status lines and bodies of every answer in a connection's byte stream (bodies sized by Content-Length). */
function answers(stream: string): { status: string; body: string; headers: Record<string, string> }[] {
  const out = [];
  let rest = stream;
  while (rest.length > 0) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) break;
    const [status, ...lines] = rest.slice(0, end).split('\r\n');
    const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
    const length = Number(headers['content-length'] ?? 0);
    out.push({ status, body: rest.slice(end + 4, end + 4 + length), headers });
    rest = rest.slice(end + 4 + length);
  }
  return out;
}

const comparable = (a: { status: string; body: string; headers: Record<string, string> }) => ({ status: a.status, body: a.body.replace(/"request_id":"[^"]+"|"request_ids":\["[^"]+"\]/g, '<id>'), type: a.headers['content-type'] });

describe('the raw-socket predict path', () => {
  it('answers well-formed predict requests itself, the same as the Hono route', async () => {
    const before = rawPathCounts.answered;
    const viaFast = answers(await exchange(fast, [post(one, 'x-request-id: raw-a\r\n')]));
    const viaHono = answers(await exchange(hono, [post(one, 'x-request-id: raw-a\r\n')]));
    expect(rawPathCounts.answered).toBe(before + 1);
    expect(viaFast.map(comparable)).toEqual(viaHono.map(comparable));
    expect(viaFast[0].status).toBe('HTTP/1.1 200 OK');
    expect(viaFast[0].headers).toMatchObject({ 'x-request-id': 'raw-a', 'x-model-version': '1', connection: 'keep-alive', 'cross-origin-opener-policy': 'same-origin' });
    expect(viaFast[0].headers.date).toMatch(/GMT$/);
  });

  it('answers pipelined requests in order, then hands the connection over for another route and goes on there', async () => {
    const before = { ...rawPathCounts };
    const stream = await exchange(fast, [
      post(one, 'x-request-id: p-1\r\n') + post('{"instances": [', 'x-request-id: p-2\r\n'),
      'GET /v2/health/live HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n',
      post(one, 'x-request-id: p-3\r\n'),
    ]);
    const got = answers(stream);
    expect(got.map((a) => [a.status, a.headers['x-request-id'] ?? null])).toEqual([
      ['HTTP/1.1 200 OK', 'p-1'],
      ['HTTP/1.1 400 Bad Request', 'p-2'],
      ['HTTP/1.1 200 OK', expect.any(String)],
      ['HTTP/1.1 200 OK', 'p-3'],
    ]);
    expect(got[2].body).toBe('{"live":true}');
    expect(rawPathCounts.answered - before.answered).toBe(2);
    expect(rawPathCounts.handedOver - before.handedOver).toBe(1);
  });

  it('answers a flood of pipelined requests from a client that stops reading, in order, once it reads again', async () => {
    const count = 8000;
    const waitsBefore = rawPathCounts.drainWaits;
    const requests = Array.from({ length: count }, (_, i) => post(one, `x-request-id: flood-${i}\r\n`)).join('');
    const stream = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(new URL(fast.url).port), '127.0.0.1', () => {
        // Not reading for a while: the answers fill the socket buffers and the edge must wait for them to drain.
        socket.pause();
        socket.write(requests);
        setTimeout(() => socket.resume(), 500);
      });
      let text = '';
      let heads = 0;
      socket.on('data', (d) => {
        const chunk = d.toString('latin1');
        // Heads end in a blank line, bodies hold none: count them in what just came (and the 3 bytes before it).
        heads += (text.slice(-3) + chunk).split('\r\n\r\n').length - 1;
        text += chunk;
        if (heads === count) socket.end();
      });
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    const got = answers(stream);
    expect(got).toHaveLength(count);
    expect(got.every((a, i) => a.status === 'HTTP/1.1 200 OK' && a.headers['x-request-id'] === `flood-${i}`)).toBe(true);
    expect(rawPathCounts.drainWaits).toBeGreaterThan(waitsBefore);
  });

  it('closes the connection after answering a request that asks for it', async () => {
    const started = Date.now();
    const stream = await exchange(fast, [post(one, 'connection: close\r\n')], 10_000);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(answers(stream).map((a) => [a.status, a.headers.connection])).toEqual([['HTTP/1.1 200 OK', 'close']]);
  });

  it.each([
    ['a folded header line', post(one, 'x-request-id: a\r\n  b\r\n')],
    ['a bare LF', post(one).replace('host: 127.0.0.1\r\n', 'host: 127.0.0.1\n')],
    ['Content-Length twice', post(one, `content-length: ${Buffer.byteLength(one)}\r\n`)],
    ['Transfer-Encoding with Content-Length', post(one, 'transfer-encoding: chunked\r\n')],
    ['no Host', post(one).replace('host: 127.0.0.1\r\n', '')],
    ['a Host the adapter refuses', post(one).replace('host: 127.0.0.1', 'host: a b')],
    ['a head over 16 KB', post(one, `x-pad: ${'a'.repeat(17_000)}\r\n`)],
    ['HTTP/1.0', post(one).replace('HTTP/1.1', 'HTTP/1.0')],
    ['a percent-escaped name', post(one, '', '/v1/models/pen%67uins/predict')],
    ['Expect: 100-continue', post(one, 'expect: 100-continue\r\n')],
    ['a control character in a value', post(one, 'x-request-id: a\u0001b\r\n')],
    ['a space before the colon', post(one, 'x-request-id : a\r\n')],
  ])('hands %s to Node, which answers as it does without this path', async (_label, request) => {
    const before = rawPathCounts.answered;
    const viaFast = answers(await exchange(fast, [request]));
    const viaHono = answers(await exchange(hono, [request]));
    expect(rawPathCounts.answered).toBe(before);
    expect(viaFast.map(comparable)).toEqual(viaHono.map(comparable));
    expect(viaFast.length).toBeGreaterThan(0);
  });

  it('survives a client that hangs up before its answer', async () => {
    await new Promise<void>((resolve) => {
      const socket = net.connect(Number(new URL(fast.url).port), '127.0.0.1', () => {
        socket.write(post(one));
        socket.destroy();
        resolve();
      });
    });
    await new Promise((r) => setTimeout(r, 100));
    const after = answers(await exchange(fast, [post(one)]));
    expect(after[0].status).toBe('HTTP/1.1 200 OK');
  });

  it('lets the server close with idle keep-alive connections on both paths', async () => {
    const edge = await startNodeEdge({ port: 0, dataDir: dir, version: 'test', autoTick: false });
    const { port } = new URL(edge.url);
    const sockets = await Promise.all(
      [post(one), 'GET /v2/health/live HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n'].map(
        (request) =>
          new Promise<net.Socket>((resolve) => {
            const socket = net.connect(Number(port), '127.0.0.1', () => socket.write(request));
            socket.once('data', () => resolve(socket));
            socket.on('error', () => {});
          }),
      ),
    );
    const started = Date.now();
    await edge.close();
    expect(Date.now() - started).toBeLessThan(3_000);
    for (const s of sockets) s.destroy();
  });
});

describe('parseRequest', () => {
  it('takes only a complete request, and says where it ends', () => {
    const two = Buffer.from(post(one) + post(one));
    const first = parseRequest(two)!;
    expect(first.length).toBe(Buffer.byteLength(post(one)));
    expect(Buffer.from(first.body()).toString()).toBe(one);
    expect(first.header('content-type')).toBe('application/json');
    expect(parseRequest(Buffer.from(post(one)).subarray(0, 60))).toBeNull();
    expect(parseRequest(Buffer.from(post(one)).subarray(0, Buffer.byteLength(post(one)) - 1))).toBeNull();
  });

  it('reads header names in any case, keeps only the headers it reads, and refuses a repeated one', () => {
    const request = parseRequest(Buffer.from(post(one, 'X-Request-ID: abc-1\r\nX-Request-IX: other\r\nAuthorization:  Bearer k \t\r\n')))!;
    expect(request.header('x-request-id')).toBe('abc-1');
    expect(request.header('authorization')).toBe('Bearer k');
    expect(request.header('x-request-ix')).toBeUndefined();
    expect(parseRequest(Buffer.from(post(one, 'x-request-id: a\r\nX-REQUEST-ID: b\r\n')))).toBeNull();
    // Headers it does not read may repeat (Node joins them; nothing here reads them).
    expect(parseRequest(Buffer.from(post(one, 'accept: a\r\naccept: b\r\n')))).not.toBeNull();
  });

  it('matches each request line on its own merits, whatever came before', () => {
    const name = (target: string) => parseRequest(Buffer.from(post(one, '', target)))?.name ?? null;
    expect(name('/v1/models/penguins/predict')).toBe('penguins');
    expect(name('/v1/models/penguins/versions/2/predict')).toBe('penguins');
    expect(name('/v1/models/penguins/predict/')).toBeNull();
    expect(name('/v1/models/penguins/predict')).toBe('penguins');
    expect(name(`/v1/models/${'a'.repeat(600)}/predict`)).toBe('a'.repeat(600));
    expect(name('/v1/models/%70enguins/predict')).toBeNull();
  });
});
