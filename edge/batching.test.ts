/**
 * Dynamic batching (edge/batching.ts) on real Node edges with SQLite: one edge that batches every
 * model and one that batches none get the same bursts of concurrent requests and must give the same
 * answers, request ids, prediction log and telemetry; a bad request in a batch fails alone; `auto`
 * batches the wide model and not the small one.
 *
 * A burst is made concurrent for certain: every request is written on its own warm keep-alive
 * connection in one synchronous block, then this thread (which also runs the servers) sleeps until
 * the bytes are there, so the server's next I/O phase delivers them all.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EdgeClient } from '../core/api/client';
import { runPipeline } from '../core/pipeline';
import { seededRandom } from '../core/random';
import { nodeSourceIO } from '../cli/node-io';
import { fixtures, PENGUIN, PENGUIN_ROW } from '../tests/contract/fixtures';
import { BATCH_SETTING, MIN_SAVING_US, parseBatchMode, type BatchMode } from './batching';
import { startNodeEdge, type RunningEdge } from './runtime/node';

/** Inputs and classes of the wide model: 100 → 1024 → 1024 → 10, whose batch saves far more per row than MIN_SAVING_US. */
const WIDE_FEATURES = 100;
const WIDE_CLASSES = 10;
const wideNames = Array.from({ length: WIDE_FEATURES }, (_, i) => `f${i}`);

function wideRow(rand: () => number): Record<string, number> {
  return Object.fromEntries(wideNames.map((n) => [n, Math.round((rand() * 4 - 2) * 1000) / 1000]));
}

/** Trains the wide classifier with the real pipeline (one epoch: serving does not care how well it fits). */
async function wideBundle(): Promise<Uint8Array> {
  const rand = seededRandom(3);
  const lines = [[...wideNames, 'y'].join(',')];
  for (let i = 0; i < 300; i++) {
    const row = wideRow(rand);
    const y = Math.floor(((row.f0 + row.f1 + 4) / 8) * WIDE_CLASSES);
    lines.push([...wideNames.map((n) => row[n]), `c${Math.min(WIDE_CLASSES - 1, y)}`].join(','));
  }
  const csv = new TextEncoder().encode(lines.join('\n'));
  const { bundle } = await runPipeline(
    {
      name: 'wide',
      data: 'wide.csv',
      target: 'y',
      task: 'classification',
      model: { type: 'mlp', hidden: [1024, 1024], dropout: 0 },
      train: { epochs: 1, earlyStopping: null, seed: 1 },
    },
    {
      io: { ...nodeSourceIO, readFile: async (f: string) => (f === 'wide.csv' ? csv : nodeSourceIO.readFile(f)) },
      backend: 'cpu',
      codeVersion: 'test',
    },
  );
  return bundle.bytes;
}

const dirs: string[] = [];
const edges: Record<BatchMode, RunningEdge> = {} as Record<BatchMode, RunningEdge>;

beforeAll(async () => {
  const { penguins } = await fixtures();
  const wide = await wideBundle();
  for (const mode of ['on', 'off', 'auto'] as const) {
    const dir = await mkdtemp(path.join(tmpdir(), `flywheel-batching-${mode}-`));
    dirs.push(dir);
    edges[mode] = await startNodeEdge({ port: 0, dataDir: dir, version: 'test', autoTick: false, batching: mode });
    const client = new EdgeClient(edges[mode].url, { key: edges[mode].adminKey! });
    await client.publish('penguins', penguins);
    await client.publish('wide', wide);
  }
}, 180_000);

afterAll(async () => {
  for (const edge of Object.values(edges)) await edge?.close();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

interface Sent {
  path: string;
  id: string;
  body: string;
}

interface Answer {
  status: number;
  requestId: string | undefined;
  body: string;
}

/** Reads one HTTP/1.1 answer with a content-length from a keep-alive connection. */
function nextAnswer(socket: net.Socket): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buffered.subarray(0, end).toString();
      const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1]);
      if (buffered.length < end + 4 + length) return;
      socket.off('data', onData);
      socket.off('error', reject);
      resolve({
        status: Number(head.split(' ')[1]),
        requestId: /\r\nx-request-id: ([^\r]*)/i.exec(head)?.[1],
        body: buffered.subarray(end + 4, end + 4 + length).toString(),
      });
    };
    socket.on('data', onData);
    socket.on('error', reject);
  });
}

function requestText(edge: RunningEdge, sent: Sent): string {
  const { host } = new URL(edge.url);
  return (
    `POST ${sent.path} HTTP/1.1\r\nhost: ${host}\r\ncontent-type: application/json\r\n` +
    `x-request-id: ${sent.id}\r\ncontent-length: ${Buffer.byteLength(sent.body)}\r\n\r\n${sent.body}`
  );
}

/** Sends `requests` to `edge` at once, one per warm connection; the answers in order, and the batcher's counts for the burst. */
async function burst(edge: RunningEdge, requests: Sent[]) {
  const { port, hostname } = new URL(edge.url);
  const sockets = await Promise.all(
    requests.map(
      () =>
        new Promise<net.Socket>((resolve, reject) => {
          const s = net.connect(Number(port), hostname, () => resolve(s));
          s.once('error', reject);
        }),
    ),
  );
  try {
    // Warm: each connection accepted and answered once, and every model loaded, before the burst.
    for (const [i, s] of sockets.entries()) {
      const answer = nextAnswer(s);
      s.write(requestText(edge, { ...requests[i], id: `warm-${requests[i].id}` }));
      await answer;
    }
    const batcher = edge.services.batcher!;
    const before = { batches: batcher.batches, requests: batcher.requests };
    const answers = sockets.map((s) => nextAnswer(s));
    for (const [i, s] of sockets.entries()) s.write(requestText(edge, requests[i]));
    // The servers run on this thread: sleeping here lets every request arrive before they look.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    const out = await Promise.all(answers);
    return {
      answers: out,
      batches: batcher.batches - before.batches,
      batchedRequests: batcher.requests - before.requests,
    };
  } finally {
    for (const s of sockets) s.destroy();
  }
}

const instances = (rows: unknown[]) => JSON.stringify({ instances: rows });
let run = 0;

/** The same burst on the batching and the non-batching edge. */
async function both(requests: Omit<Sent, 'id'>[]) {
  const tag = `r${run++}`;
  const sent = requests.map((r, i) => ({ ...r, id: `${tag}-${i}` }));
  const on = await burst(edges.on, sent);
  const off = await burst(edges.off, sent);
  return { sent, on, off };
}

async function logged(edge: RunningEdge, ids: string[]) {
  await edge.services.flush();
  const rows = await edge.services.db.all(
    `SELECT request_id, model, version, prediction, features FROM predictions WHERE request_id IN (${ids.map(() => '?').join(',')}) OR request_id LIKE ? ORDER BY request_id`,
    [...ids, `${ids[0].split('-')[0]}-%:%`],
  );
  return rows;
}

describe('dynamic batching', () => {
  it('answers a burst of concurrent requests as one kernel call per model, exactly as without batching', async () => {
    const rand = seededRandom(9);
    const { sent, on, off } = await both([
      { path: '/v1/models/penguins/predict', body: instances([PENGUIN]) },
      { path: '/v1/models/wide/predict', body: instances([wideRow(rand)]) },
      { path: '/v1/models/penguins/predict', body: instances([PENGUIN_ROW]) },
      { path: '/v1/models/wide/versions/1/predict', body: instances([wideRow(rand), wideRow(rand), wideRow(rand)]) },
      { path: '/v1/models/penguins/versions/1/predict', body: instances([{ ...PENGUIN, Island: 'Dream' }, PENGUIN]) },
      { path: '/v1/models/wide/predict', body: instances([wideRow(rand)]) },
      { path: '/v1/models/wide/predict', body: JSON.stringify({ inputs: [wideNames.map(() => 0.5)] }) },
      { path: '/v1/models/penguins/predict', body: instances([{ ...PENGUIN, Sex: 'FEMALE' }]) },
    ]);
    expect(on.batches).toBe(2);
    expect(on.batchedRequests).toBe(sent.length);
    expect(off.batchedRequests).toBe(0);
    expect(on.answers.map((a) => a.status)).toEqual(sent.map(() => 200));
    expect(on.answers).toEqual(off.answers);
    expect(on.answers.map((a) => a.requestId)).toEqual(sent.map((s) => s.id));
    // Each request keeps its own ids: one id for one row, `id:i` for several.
    expect(JSON.parse(on.answers[3].body).request_ids).toEqual([
      `${sent[3].id}:0`,
      `${sent[3].id}:1`,
      `${sent[3].id}:2`,
    ]);
    expect(JSON.parse(on.answers[0].body).request_ids).toEqual([sent[0].id]);
    const ids = sent.map((s) => s.id);
    const onLog = await logged(edges.on, ids);
    expect(onLog).toHaveLength(11);
    expect(onLog).toEqual(await logged(edges.off, ids));
    for (const model of ['penguins', 'wide']) {
      const stats = (edge: RunningEdge) => edge.services.monitor.versionStats(model, 0);
      const [a, b] = [await stats(edges.on), await stats(edges.off)];
      expect([...a].map(([v, s]) => [v, s.requests, s.errorRate])).toEqual(
        [...b].map(([v, s]) => [v, s.requests, s.errorRate]),
      );
    }
  });

  it('fails only the requests whose own rows are bad', async () => {
    const rand = seededRandom(10);
    const { sent, on, off } = await both([
      { path: '/v1/models/wide/predict', body: instances([wideRow(rand)]) },
      { path: '/v1/models/wide/predict', body: instances([{ ...wideRow(rand), f3: 'three' }]) },
      { path: '/v1/models/wide/predict', body: instances([wideRow(rand), wideRow(rand)]) },
      { path: '/v1/models/wide/predict', body: instances([wideRow(rand), wideNames.slice(1).map(() => 1)]) },
      { path: '/v1/models/wide/predict', body: instances([wideRow(rand)]) },
      // Encodes fine, but overflows the network: its output row is NaN, the others' are not.
      { path: '/v1/models/wide/predict', body: instances([wideRow(rand), { ...wideRow(rand), f3: 1e308 }]) },
    ]);
    expect(on.batches).toBe(1);
    expect(on.batchedRequests).toBe(sent.length);
    expect(on.answers.map((a) => a.status)).toEqual([200, 400, 200, 400, 200, 400]);
    expect(JSON.parse(on.answers[1].body).error.details[0].path).toBe('instances[0].f3');
    expect(JSON.parse(on.answers[3].body).error.details[0].path).toBe('instances[1]');
    expect(JSON.parse(on.answers[5].body).error.details[0]).toEqual({
      path: 'instances[1]',
      message: "the model's output is not a number",
    });
    expect(on.answers.map((a) => a.requestId)).toEqual(sent.map((s) => s.id));
    expect(on.answers).toEqual(off.answers);
    const ids = sent.map((s) => s.id);
    expect(await logged(edges.on, ids)).toEqual(await logged(edges.off, ids));
  });

  it('auto batches the wide model, whose batch saves enough per row, and not the small one', async () => {
    const edge = edges.auto;
    const burstOf = (model: string, rows: () => unknown) =>
      burst(
        edge,
        Array.from({ length: 4 }, (_, i) => ({
          path: `/v1/models/${model}/predict`,
          id: `auto-${model}-${i}`,
          body: instances([rows()]),
        })),
      );
    const rand = seededRandom(11);
    const wide = await burstOf('wide', () => wideRow(rand));
    const small = await burstOf('penguins', () => PENGUIN);
    expect(wide.batchedRequests).toBe(4);
    expect(small.batchedRequests).toBe(0);
    const loadedWide = edge.services.serving.loadedNow('wide', 1)!;
    const loadedSmall = edge.services.serving.loadedNow('penguins', 1)!;
    expect(loadedWide.batched).toBe(true);
    expect(loadedWide.batchCost!.singleUs - loadedWide.batchCost!.batchedUs).toBeGreaterThanOrEqual(MIN_SAVING_US);
    expect(loadedSmall.batched).toBe(false);
    expect(loadedSmall.batchCost!.singleUs - loadedSmall.batchCost!.batchedUs).toBeLessThan(MIN_SAVING_US);
  });

  it('reads the mode from FLYWHEEL_BATCH and refuses a value it does not know', async () => {
    expect(['', undefined, ' Auto ', 'on', 'OFF'].map((v) => parseBatchMode(v))).toEqual([
      'auto',
      'auto',
      'auto',
      'on',
      'off',
    ]);
    const saved = process.env[BATCH_SETTING];
    process.env[BATCH_SETTING] = 'sometimes';
    try {
      await expect(startNodeEdge({ port: 0, dataDir: dirs[0], version: 'test', autoTick: false })).rejects.toThrow(
        /FLYWHEEL_BATCH: "sometimes" is not a batching mode; use auto, on or off/,
      );
    } finally {
      if (saved === undefined) delete process.env[BATCH_SETTING];
      else process.env[BATCH_SETTING] = saved;
    }
  });
});
