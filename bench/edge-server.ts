/**
 * The server side of the edge bench, run as its own process so that the load generator (autocannon,
 * in the bench process) and the server never share an event loop:
 *
 *   node --import tsx bench/edge-server.ts edge    the Node edge (startNodeEdge) in a fresh temp data folder
 *   node --import tsx bench/edge-server.ts hello   the baselines: Hono hello world and JSON echoes on @hono/node-server
 *
 * The bench runs it bundled by build/bundle-cli.ts, as the CLI is (bench/edge-child.ts says why):
 * `node dist/bench/edge-server/edge-server.js edge|hello`.
 *
 * Once listening it prints one JSON line, `{"url", "adminKey", "pid"}`. It reads one command per
 * stdin line and answers each with one JSON line:
 *   gc               collects garbage (when started with --expose-gc) → {"gc", "heapUsed", "heapTotal", "external", "arrayBuffers", "rss"} (bytes), "logPending" (prediction-log rows not yet written)
 *   stats-reset      starts measuring event-loop delay and (edge) the duration of each telemetry flush
 *   stats            → {"loopDelayP99Ms", "loopDelayMaxMs", "flushes", "flushMeanMs", "flushMaxMs"} since stats-reset
 *   profile-start    starts the V8 CPU profiler → {"profiling": true}
 *   profile-stop F   writes the .cpuprofile to file F → {"profile": F}
 *   batching M@V     (edge) dynamic batching (edge/batching.ts): {"batches", "requests"} since start, and
 *                    {"batched", "batchCost"} of the loaded version V of model M
 * Profiling through the inspector, rather than `--cpu-prof`, keeps start-up and warm-up out of the
 * profile. It exits on SIGTERM, SIGINT or end of stdin.
 */
import { serve, type HttpBindings } from '@hono/node-server';
import type { IncomingMessage } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { constants as perfConstants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Hono } from 'hono';
import { startNodeEdge } from '../edge/runtime/node';

type Stop = () => Promise<void>;

/** µs between CPU profile samples: finer than V8's 1 ms default, since a request takes a few hundred µs. */
const PROFILE_SAMPLING_US = 200;
/** ms resolution of the event-loop delay histogram: a stall shorter than this is not worth naming. */
const LOOP_DELAY_RESOLUTION_MS = 1;

/** Durations (ms) of the edge's telemetry flushes since the last stats-reset. */
let flushMs: number[] = [];
/** Prediction-log rows waiting to be written (edge only). */
let logPending: () => number = () => 0;
/** The `batching` command's answer (edge only). */
let batching: (model: string, version: number) => object = () => ({ error: 'not an edge' });

async function startEdge(): Promise<{ url: string; adminKey: string | null; stop: Stop }> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'flywheel-edge-bench-'));
  const edge = await startNodeEdge({ port: 0, dataDir, version: 'bench' });
  logPending = () => edge.services.log.pending;
  batching = (model, version) => {
    const loaded = edge.services.serving.loadedNow(model, version);
    const batcher = edge.services.batcher;
    return {
      batches: batcher?.batches ?? 0,
      requests: batcher?.requests ?? 0,
      batched: loaded?.batched ?? null,
      batchCost: loaded?.batchCost ?? null,
    };
  };
  // Timed from outside: the Node entry's timer calls services.flush() every second, and SQLite writes
  // synchronously, so this is how long each flush holds the event loop that requests wait on.
  const flush = edge.services.flush.bind(edge.services);
  edge.services.flush = async () => {
    const t0 = performance.now();
    try {
      await flush();
    } finally {
      flushMs.push(performance.now() - t0);
    }
  };
  return {
    url: edge.url,
    adminKey: edge.adminKey,
    stop: async () => {
      await edge.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The baselines: hello world (the ceiling the edge is measured against), and JSON echoes of a request
 * body, through the Web Request and straight from Node's IncomingMessage, that take the framework's
 * cost of a JSON POST apart.
 */
async function startHello(): Promise<{ url: string; adminKey: null; stop: Stop }> {
  const app = new Hono<{ Bindings: HttpBindings }>();
  app.get('/', (c) => c.text('Hello Hono!'));
  // Same HTTP and JSON work as a predict request, with nothing behind it: separates framework cost from edge cost.
  app.post('/echo', async (c) => c.json(await c.req.json()));
  // The echo reading Node's IncomingMessage instead of the Web Request body, which @hono/node-server
  // builds on first access (AbortController, Headers, Readable.toWeb, undici Request): that cost, isolated.
  app.post('/echo-incoming', async (c) => c.json(JSON.parse((await readIncoming(c.env.incoming)).toString('utf8'))));
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    adminKey: null,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function readIncoming(incoming: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.once('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    incoming.once('error', reject);
  });
}

async function main(): Promise<void> {
  const kind = process.argv[2];
  if (kind !== 'edge' && kind !== 'hello') throw new Error(`usage: edge-server.ts edge|hello (got "${kind ?? ''}")`);
  const { url, adminKey, stop } = kind === 'edge' ? await startEdge() : await startHello();
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    // Keep-alive sockets from the load generator would hold server.close() open; the exit is what matters.
    const force = setTimeout(() => process.exit(0), 2000);
    // The process exits either way; a failed stop has nowhere else to go.
    void stop().finally(() => {
      clearTimeout(force);
      process.exit(0);
    });
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  const commands = createInterface({ input: process.stdin });
  let session: Session | null = null;
  const loopDelay = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
  // Garbage collection on the main thread since stats-reset: pauses (ms) of minor (scavenge) and major (mark-compact) collections.
  const gc = { minorMs: 0, minor: 0, majorMs: 0, major: 0 };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      if (kind === perfConstants.NODE_PERFORMANCE_GC_MINOR) {
        gc.minor++;
        gc.minorMs += e.duration;
      } else {
        gc.major++;
        gc.majorMs += e.duration;
      }
    }
  }).observe({ entryTypes: ['gc'] });
  const answer = (value: object) => process.stdout.write(`${JSON.stringify(value)}\n`);
  const obey = async (line: string): Promise<void> => {
    const [command, arg] = line.trim().split(/\s+/, 2);
    if (command === 'gc') {
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      const { heapUsed, heapTotal, external, arrayBuffers, rss } = process.memoryUsage();
      answer({ gc: Boolean(gc), heapUsed, heapTotal, external, arrayBuffers, rss, logPending: logPending() });
    } else if (command === 'stats-reset') {
      loopDelay.disable();
      loopDelay.reset();
      loopDelay.enable();
      flushMs = [];
      Object.assign(gc, { minorMs: 0, minor: 0, majorMs: 0, major: 0 });
      answer({ reset: true });
    } else if (command === 'stats') {
      answer({
        loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
        loopDelayMaxMs: loopDelay.max / 1e6,
        flushes: flushMs.length,
        flushMeanMs: flushMs.reduce((a, b) => a + b, 0) / (flushMs.length || 1),
        flushMaxMs: Math.max(0, ...flushMs),
        gc: { ...gc },
      });
    } else if (command === 'profile-start') {
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: PROFILE_SAMPLING_US });
      await session.post('Profiler.start');
      answer({ profiling: true });
    } else if (command === 'profile-stop' && session && arg) {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      session = null;
      await writeFile(arg, JSON.stringify(profile));
      answer({ profile: arg });
    } else if (command === 'batching' && arg) {
      const at = arg.lastIndexOf('@');
      answer(batching(arg.slice(0, at), Number(arg.slice(at + 1))));
    } else {
      answer({ error: `unknown command "${line.trim()}"` });
    }
  };
  commands.on('line', (line) => {
    obey(line).catch((e: unknown) => answer({ error: e instanceof Error ? e.message : String(e) }));
  });
  commands.on('close', shutdown);
  process.stdout.write(`${JSON.stringify({ url, adminKey, pid: process.pid })}\n`);
}

await main();
