/**
 * The Node fast path for own-format predict must answer exactly as the Hono route does: two edges on
 * one data folder, one with the fast path and one without, get the same requests and must give the
 * same status, body and every header but Date, Connection and Keep-Alive (request ids are fixed
 * through x-request-id so bodies compare).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EdgeClient } from '../../core/api/client';
import { fixtures, PENGUIN, PENGUIN_ROW } from '../../tests/contract/fixtures';
import { startNodeEdge, type RunningEdge } from './node';

let dir: string;
let fast: RunningEdge;
let hono: RunningEdge;
let adminKey: string;
let predictKey: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'flywheel-fast-predict-'));
  fast = await startNodeEdge({ port: 0, dataDir: dir, version: 'test', autoTick: false });
  hono = await startNodeEdge({ port: 0, dataDir: dir, version: 'test', autoTick: false, fastPredict: false });
  adminKey = fast.adminKey!;
  predictKey = (await fast.services.keys.create('predict', 'test')).key;
  const { penguins, penguins2 } = await fixtures();
  const client = new EdgeClient(fast.url, { key: adminKey });
  await client.publish('penguins', penguins);
  await client.publish('penguins', penguins2);
  await client.publish('secret', penguins);
  const made = await fetch(`${fast.url}/v1/models/secret`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: '{"private":true}',
  });
  expect(made.status).toBe(200);
}, 120_000);

afterAll(async () => {
  await fast?.close();
  await hono?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Headers that differ by nature (the clock, the connection's own state); every other must agree. */
const UNCOMPARED = new Set(['date', 'connection', 'keep-alive']);

async function answer(edge: RunningEdge, urlPath: string, init: RequestInit) {
  const res = await fetch(`${edge.url}${urlPath}`, { method: 'POST', ...init });
  const text = await res.text();
  const headers: Record<string, string | null> = {
    'x-model-version': null,
    vary: null,
    'access-control-allow-origin': null,
  };
  for (const [name, value] of res.headers) if (!UNCOMPARED.has(name)) headers[name] = value;
  return { status: res.status, body: text, headers };
}

const json = { 'content-type': 'application/json' };
const body = (rows: unknown) => JSON.stringify({ instances: rows });

const cases: [string, string, RequestInit][] = [
  ['one row', '/v1/models/penguins/predict', { headers: json, body: body([PENGUIN]) }],
  [
    'one row from a page of another origin',
    '/v1/models/penguins/predict',
    { headers: { ...json, origin: 'https://notebook.example' }, body: body([PENGUIN]) },
  ],
  [
    'an error for a page of another origin',
    '/v1/models/nobody/predict',
    { headers: { ...json, origin: 'https://notebook.example' }, body: body([PENGUIN]) },
  ],
  [
    'one row, spaced JSON and a charset',
    '/v1/models/penguins/predict',
    {
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ instances: [PENGUIN] }, null, 2),
    },
  ],
  ['rows in signature order', '/v1/models/penguins/predict', { headers: json, body: body([PENGUIN_ROW, PENGUIN]) }],
  [
    'columnar inputs',
    '/v1/models/penguins/predict',
    {
      headers: json,
      body: JSON.stringify({ inputs: Object.fromEntries(Object.entries(PENGUIN).map(([k, v]) => [k, [v, v]])) }),
    },
  ],
  ['a pinned version', '/v1/models/penguins/versions/1/predict', { headers: json, body: body([PENGUIN]) }],
  ['a query string', '/v1/models/penguins/predict?debug=1', { headers: json, body: body([PENGUIN]) }],
  ['an unknown version', '/v1/models/penguins/versions/9/predict', { headers: json, body: body([PENGUIN]) }],
  ['version 0', '/v1/models/penguins/versions/0/predict', { headers: json, body: body([PENGUIN]) }],
  ['an unknown model', '/v1/models/nobody/predict', { headers: json, body: body([PENGUIN]) }],
  ['an invalid name', '/v1/models/-bad/predict', { headers: json, body: body([PENGUIN]) }],
  ['no content type', '/v1/models/penguins/predict', { body: body([PENGUIN]) }],
  ['text/plain', '/v1/models/penguins/predict', { headers: { 'content-type': 'text/plain' }, body: body([PENGUIN]) }],
  ['malformed JSON', '/v1/models/penguins/predict', { headers: json, body: '{"instances": [' }],
  ['no rows', '/v1/models/penguins/predict', { headers: json, body: body([]) }],
  [
    'an extra key',
    '/v1/models/penguins/predict',
    { headers: json, body: JSON.stringify({ instances: [PENGUIN], extra: 1 }) },
  ],
  ['a row that is a number', '/v1/models/penguins/predict', { headers: json, body: body([PENGUIN, 3]) }],
  [
    'a missing feature',
    '/v1/models/penguins/predict',
    { headers: json, body: body([{ ...PENGUIN, Island: undefined }]) },
  ],
  [
    'a wrong type',
    '/v1/models/penguins/predict',
    { headers: json, body: body([{ ...PENGUIN, 'Body Mass (g)': 'heavy' }]) },
  ],
  [
    'duplicated instances keys',
    '/v1/models/penguins/predict',
    { headers: json, body: `{"instances":[${JSON.stringify(PENGUIN)}],"instances":[${JSON.stringify(PENGUIN)}]}` },
  ],
  [
    'a malformed bearer key',
    '/v1/models/penguins/predict',
    { headers: { ...json, authorization: 'Bearer a b' }, body: body([PENGUIN]) },
  ],
  [
    'a gzip body',
    '/v1/models/penguins/predict',
    {
      headers: { ...json, 'content-encoding': 'gzip' },
      body: gzipSync(new TextEncoder().encode(body([PENGUIN]))) as Uint8Array<ArrayBuffer>,
    },
  ],
  [
    'a body that is not the gzip it says',
    '/v1/models/penguins/predict',
    { headers: { ...json, 'content-encoding': 'gzip' }, body: body([PENGUIN]) },
  ],
  [
    "another scheme's credentials (a proxy's Basic auth)",
    '/v1/models/penguins/predict',
    { headers: { ...json, authorization: 'Basic Zm9vOmJhcg==' }, body: body([PENGUIN]) },
  ],
  [
    'an unknown key',
    '/v1/models/penguins/predict',
    { headers: { ...json, authorization: 'Bearer fw_predict_nope' }, body: body([PENGUIN]) },
  ],
  ['a private model without a key', '/v1/models/secret/predict', { headers: json, body: body([PENGUIN]) }],
  [
    'a private model with a predict key',
    '/v1/models/secret/predict',
    { headers: { ...json, authorization: `Bearer ${'PREDICT_KEY'}` }, body: body([PENGUIN]) },
  ],
  [
    'a byte-order mark before the JSON',
    '/v1/models/penguins/predict',
    { headers: json, body: `\ufeff${body([PENGUIN])}` },
  ],
  [
    'a ".." segment for the version',
    '/v1/models/penguins/versions/../predict',
    { headers: json, body: body([PENGUIN]) },
  ],
  ['a "." segment for the version', '/v1/models/penguins/versions/./predict', { headers: json, body: body([PENGUIN]) }],
  [
    'the key duplicated with a "[" inside a string',
    '/v1/models/penguins/predict',
    { headers: json, body: `{"instances":"[","instances":[${JSON.stringify({ ...PENGUIN, '[",': '],]\\' })}]}` },
  ],
  [
    'a declared length over the limit',
    '/v1/models/penguins/predict',
    { headers: json, body: body(Array.from({ length: 40_000 }, () => PENGUIN)) },
  ],
];

describe('the Node fast path for predict', () => {
  it.each(cases)('answers %s as the Hono route does', async (_label, urlPath, init) => {
    const id = `req-${_label.replace(/[^A-Za-z0-9]+/g, '-')}`;
    const headers: Record<string, string> = {
      ...(init.headers as Record<string, string> | undefined),
      'x-request-id': id,
    };
    if (headers.authorization === 'Bearer PREDICT_KEY') headers.authorization = `Bearer ${predictKey}`;
    const viaFast = await answer(fast, urlPath, { ...init, headers });
    const viaHono = await answer(hono, urlPath, { ...init, headers });
    expect(viaFast).toEqual(viaHono);
    expect(viaFast.headers['x-request-id']).toBe(id);
    expect(viaFast.headers['content-type']).toMatch(/^application\/json/);
  });

  it('gives a fresh time-ordered id without x-request-id', async () => {
    const init = { headers: json, body: body([PENGUIN]) };
    const a = await answer(fast, '/v1/models/penguins/predict', init);
    const b = await answer(hono, '/v1/models/penguins/predict', init);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    for (const id of [a.headers['x-request-id'], b.headers['x-request-id']])
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
  });

  it('answers what the Hono adapter refuses or reads differently as it does: a bad Host, two Authorization headers', async () => {
    const raw = (edge: RunningEdge, head: string) =>
      new Promise<string>((resolve, reject) => {
        const { port } = new URL(edge.url);
        const socket = net.connect(Number(port), '127.0.0.1', () =>
          socket.end(
            `POST /v1/models/penguins/predict HTTP/1.1\r\n${head}content-type: application/json\r\nx-request-id: raw-1\r\ncontent-length: ${body([PENGUIN]).length}\r\nconnection: close\r\n\r\n${body([PENGUIN])}`,
          ),
        );
        let text = '';
        socket.on('data', (d) => (text += d));
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
    const statusLine = (text: string) => text.split('\r\n')[0];
    const bodyOf = (text: string) => text.slice(text.indexOf('\r\n\r\n') + 4);
    for (const head of [
      'host: 127.0.0.1:x\r\n',
      `host: 127.0.0.1\r\nauthorization: Bearer ${predictKey}\r\nauthorization: Bearer other\r\n`,
    ]) {
      const viaFast = await raw(fast, head);
      const viaHono = await raw(hono, head);
      expect(statusLine(viaFast), head).toBe(statusLine(viaHono));
      expect(bodyOf(viaFast), head).toBe(bodyOf(viaHono));
      expect(statusLine(viaFast), head).toMatch(/ 40[01] /);
    }
  });

  it('reads bodies that arrive after their headers, in pieces or chunked, as the Hono route does', async () => {
    const pause = () => new Promise((resolve) => setTimeout(resolve, 30));
    /** Writes each part of a request after a pause, over one connection, and returns the raw answer. */
    const slow = (edge: RunningEdge, parts: string[]) =>
      new Promise<string>((resolve, reject) => {
        const { port } = new URL(edge.url);
        const write = async () => {
          for (const part of parts) {
            socket.write(part);
            await pause();
          }
          socket.end();
        };
        const socket = net.connect(Number(port), '127.0.0.1', () => {
          write().catch(reject);
        });
        let text = '';
        socket.on('data', (d) => (text += d));
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
    const one = body([PENGUIN]);
    const head = (extra: string) =>
      `POST /v1/models/penguins/predict HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\nx-request-id: slow-1\r\nconnection: close\r\n${extra}\r\n`;
    const chunk = (text: string) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;
    const big = body(Array.from({ length: 40_000 }, () => PENGUIN));
    const requests: [string, string[], RegExp][] = [
      ['headers, then the body', [head(`content-length: ${one.length}\r\n`), one], / 200 /],
      ['the body in two pieces', [head(`content-length: ${one.length}\r\n`), one.slice(0, 20), one.slice(20)], / 200 /],
      [
        'a chunked body',
        [head('transfer-encoding: chunked\r\n'), chunk(one.slice(0, 30)), `${chunk(one.slice(30))}0\r\n\r\n`],
        / 200 /,
      ],
      [
        'a chunked body over the size limit',
        [head('transfer-encoding: chunked\r\n'), `${chunk(big)}0\r\n\r\n`],
        / 413 /,
      ],
      ['an empty body', [head('content-length: 0\r\n')], / 400 /],
    ];
    const statusLine = (text: string) => text.split('\r\n')[0];
    const bodyOf = (text: string) => text.slice(text.indexOf('\r\n\r\n') + 4);
    for (const [label, parts, status] of requests) {
      const viaFast = await slow(fast, parts);
      const viaHono = await slow(hono, parts);
      expect(statusLine(viaFast), label).toMatch(status);
      expect(statusLine(viaFast), label).toBe(statusLine(viaHono));
      expect(bodyOf(viaFast), label).toBe(bodyOf(viaHono));
    }
  });

  it('answers every one of many concurrent requests, each with its own answer, though answers are written together', async () => {
    const ids = Array.from({ length: 60 }, (_, i) => `many-${i}`);
    const answers = await Promise.all(
      ids.map((id, i) =>
        answer(fast, '/v1/models/penguins/predict', {
          headers: { ...json, 'x-request-id': id },
          body: body([{ ...PENGUIN, 'Body Mass (g)': 3000 + 50 * i }]),
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(ids.map(() => 200));
    expect(answers.map((a) => a.headers['x-request-id'])).toEqual(ids);
    expect(answers.map((a) => (JSON.parse(a.body) as { request_ids: string[] }).request_ids[0])).toEqual(ids);
    // The same rows one at a time through Hono give the same predictions.
    for (const [i, id] of ids.entries()) {
      if (i % 10 !== 0) continue;
      const viaHono = await answer(hono, '/v1/models/penguins/predict', {
        headers: { ...json, 'x-request-id': id },
        body: body([{ ...PENGUIN, 'Body Mass (g)': 3000 + 50 * i }]),
      });
      expect(answers[i]).toEqual(viaHono);
    }
  });

  it('routes the same routing key to the same side of a canary on both paths', async () => {
    const rollout = await fetch(`${fast.url}/v1/models/penguins/rollout`, {
      method: 'PUT',
      headers: { ...json, authorization: `Bearer ${adminKey}` },
      body: JSON.stringify({ challenger: 2, weight: 0.5 }),
    });
    expect(rollout.status).toBe(200);
    // Both edges cache routing for up to a second.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const seen = new Set<string | null>();
    for (let k = 0; k < 12; k++) {
      const init = {
        headers: { ...json, 'x-routing-key': `user-${k}`, 'x-request-id': `canary-${k}` },
        body: body([PENGUIN]),
      };
      const viaFast = await answer(fast, '/v1/models/penguins/predict', init);
      expect(viaFast).toEqual(await answer(hono, '/v1/models/penguins/predict', init));
      seen.add(viaFast.headers['x-model-version']);
    }
    expect([...seen].sort()).toEqual(['1', '2']);
    await fetch(`${fast.url}/v1/models/penguins/rollout`, {
      method: 'PUT',
      headers: { ...json, authorization: `Bearer ${adminKey}` },
      body: JSON.stringify({ challenger: 2, weight: 0 }),
    });
  });

  it('logs what it served, so feedback joins to it, with the row text as sent', async () => {
    const id = 'feedback-join-1';
    const sent = `{"instances":[ ${JSON.stringify(PENGUIN)} ]}`;
    const res = await fetch(`${fast.url}/v1/models/penguins/predict`, {
      method: 'POST',
      headers: { ...json, 'x-request-id': id },
      body: sent,
    });
    expect(res.status).toBe(200);
    const { predictions } = (await res.json()) as { predictions: { label: string }[] };
    const feedback = await fetch(`${fast.url}/v1/models/penguins/feedback`, {
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${predictKey}` },
      body: JSON.stringify({ items: [{ request_id: id, label: predictions[0].label }] }),
    });
    expect(await feedback.json()).toEqual({ accepted: 1, unmatched: [], duplicates: [] });
    const logged = await fast.services.db.first<{ features: string }>(
      'SELECT features FROM predictions WHERE request_id = ?',
      [id],
    );
    expect(JSON.parse(logged!.features)).toEqual(PENGUIN);
  });
});

describe('closing a Node edge', () => {
  it('does not wait for idle keep-alive connections, after a fast-path predict or a Hono route', async () => {
    const edge = await startNodeEdge({ port: 0, dataDir: dir, version: 'test', autoTick: false });
    const { port } = new URL(edge.url);
    const one = body([PENGUIN]);
    const requests = [
      `POST /v1/models/penguins/predict HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${one.length}\r\n\r\n${one}`,
      'GET /v2/health/live HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n',
    ];
    const sockets = await Promise.all(
      requests.map(
        (request) =>
          new Promise<net.Socket>((resolve) => {
            const socket = net.connect(Number(port), '127.0.0.1', () => socket.write(request));
            socket.once('data', () => resolve(socket));
            socket.on('error', () => {});
          }),
      ),
    );
    const closed = sockets.map((s) => new Promise((resolve) => s.once('close', resolve)));
    // Well within Node's 5 s keep-alive timeout: the close itself ends them.
    await edge.close();
    await Promise.race([
      Promise.all(closed),
      new Promise((_, reject) => setTimeout(() => reject(new Error('idle connections outlived the close')), 3_000)),
    ]);
  });
});

describe('the Node fast path with an allowlist of origins', () => {
  it('sends the CORS headers the Hono app sends', async () => {
    const corsOrigins = ['https://app.example.com'];
    const a = await startNodeEdge({ port: 0, dataDir: dir, version: 'test', autoTick: false, corsOrigins });
    const b = await startNodeEdge({
      port: 0,
      dataDir: dir,
      version: 'test',
      autoTick: false,
      corsOrigins,
      fastPredict: false,
    });
    try {
      for (const origin of ['https://app.example.com', 'https://evil.example']) {
        const init = { headers: { ...json, origin, 'x-request-id': 'cors-1' }, body: body([PENGUIN]) };
        const viaFast = await answer(a, '/v1/models/penguins/predict', init);
        expect(viaFast).toEqual(await answer(b, '/v1/models/penguins/predict', init));
        expect(viaFast.headers['access-control-allow-origin']).toBe(
          origin === 'https://app.example.com' ? origin : null,
        );
        expect(viaFast.headers.vary).toBe('Origin');
      }
    } finally {
      await a.close();
      await b.close();
    }
  });
});
