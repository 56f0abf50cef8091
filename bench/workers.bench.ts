/**
 * The edge on workerd (the Worker bundle on miniflare, D1 and R2 simulated locally) against the Node
 * edge (SQLite, disk), each serving the same small bundle from storage that already holds it:
 * cold start (a fresh runtime: time until it listens, then its first single-row predict, which
 * loads the model) and warm single-row predict latency over keep-alive HTTP, as workerd/Node
 * ratios; plus the Worker bundle's size. Both servers run in their own process on this machine.
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { nodeSourceIO } from '../cli/node-io';
import { EdgeClient } from '../core/api/client';
import { runPipeline } from '../core/pipeline';
import { buildWorker, WORKER_GZIP_TARGET_BYTES } from '../edge/build-worker';
import { PENGUIN } from '../tests/contract/fixtures';
import { startWorker } from '../tests/contract/workerd-support';
import { fmt, markdownTable, type BenchResult } from './harness';

const here = path.dirname(fileURLToPath(import.meta.url));
// Fresh starts per runtime: cold figures are medians of these.
const COLD_RUNS = 5;
// Untimed requests before the warm timing, then timed ones: enough for a stable median and p90.
const WARMUP_REQUESTS = 50;
const WARM_REQUESTS = 500;

interface Running {
  url: string;
  stop(): Promise<void>;
}

interface Runtime {
  name: string;
  start(): Promise<Running>;
}

interface Sample {
  listenMs: number;
  firstMs: number;
}

async function nodeEdge(dataDir: string): Promise<Running & { adminKey: string | null }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'workers-node-edge.ts'), dataDir], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the Node edge exited (${code}) before listening`)));
  });
  const { url, adminKey } = JSON.parse(line) as { url: string; adminKey: string | null };
  return {
    url,
    adminKey,
    stop: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

const predictBody = JSON.stringify({ instances: [PENGUIN] });
async function predict(url: string): Promise<void> {
  const res = await fetch(`${url}/v1/models/penguins/predict`, {
    method: 'POST',
    body: predictBody,
    headers: { 'content-type': 'application/json' },
  });
  if (res.status !== 200) throw new Error(`predict answered ${res.status}: ${await res.text()}`);
  await res.arrayBuffer();
}

async function cold(runtime: Runtime): Promise<Sample> {
  const t0 = performance.now();
  const running = await runtime.start();
  const t1 = performance.now();
  await predict(running.url);
  const t2 = performance.now();
  await running.stop();
  return { listenMs: t1 - t0, firstMs: t2 - t1 };
}

async function warm(runtime: Runtime): Promise<{ p50: number; p90: number }> {
  const running = await runtime.start();
  for (let i = 0; i < WARMUP_REQUESTS; i++) await predict(running.url);
  const times: number[] = [];
  for (let i = 0; i < WARM_REQUESTS; i++) {
    const t0 = performance.now();
    await predict(running.url);
    times.push(performance.now() - t0);
  }
  await running.stop();
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length * 0.5)], p90: times[Math.floor(times.length * 0.9)] };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function bench(): Promise<BenchResult> {
  const scratch = await mkdtemp(path.join(tmpdir(), 'flywheel-bench-workers-'));
  try {
    await tf.setBackend('cpu');
    const bundle = (
      await runPipeline(
        { name: 'penguins', data: 'sample:penguins', target: 'Species', model: { type: 'mlp' }, train: { epochs: 5 } },
        { io: nodeSourceIO, backend: 'cpu', codeVersion: 'bench' },
      )
    ).bundle.bytes;
    const built = await buildWorker(path.join(scratch, 'worker'));

    // Storage that already holds the model, as a deployed edge's does.
    const dataDir = path.join(scratch, 'node-data');
    const persistDir = path.join(scratch, 'workerd-data');
    const adminKey = `fw_admin_${'b'.repeat(32)}`;
    const firstNode = await nodeEdge(dataDir);
    await new EdgeClient(firstNode.url, { key: firstNode.adminKey! }).publish('penguins', bundle);
    await firstNode.stop();
    const firstWorker = await startWorker({ scriptPath: built.file, adminKey, persistDir });
    await new EdgeClient(firstWorker.url, { key: adminKey }).publish('penguins', bundle);
    await firstWorker.mf.dispose();

    const runtimes: Runtime[] = [
      { name: 'Node (SQLite, disk)', start: () => nodeEdge(dataDir) },
      {
        name: 'workerd (D1, R2; miniflare)',
        start: async () => {
          const { mf, url } = await startWorker({ scriptPath: built.file, adminKey, persistDir });
          return { url, stop: () => mf.dispose() };
        },
      },
    ];
    const samples: Sample[][] = runtimes.map(() => []);
    // Alternate runtimes so drifting machine load hits both alike.
    for (let r = 0; r < COLD_RUNS; r++) for (const [i, rt] of runtimes.entries()) samples[i].push(await cold(rt));
    const warmStats: { p50: number; p90: number }[] = [];
    for (const rt of runtimes) warmStats.push(await warm(rt));

    const stat = samples.map((s) => ({
      listen: median(s.map((x) => x.listenMs)),
      first: median(s.map((x) => x.firstMs)),
    }));
    const [node, worker] = [0, 1].map((i) => ({ ...stat[i], ...warmStats[i] }));
    const ratio = (a: number, b: number) => `${fmt(a / b)}×`;
    const kib = (n: number) => `${fmt(n / 1024, 1)} KiB`;
    const table = markdownTable(
      ['', 'Node', 'workerd', 'workerd / Node'],
      [
        [
          'start until listening (ms, median)',
          fmt(node.listen, 0),
          fmt(worker.listen, 0),
          ratio(worker.listen, node.listen),
        ],
        [
          'cold start: first predict on a fresh runtime (ms, median)',
          fmt(node.first, 1),
          fmt(worker.first, 1),
          ratio(worker.first, node.first),
        ],
        ['warm single-row predict p50 (ms)', fmt(node.p50, 3), fmt(worker.p50, 3), ratio(worker.p50, node.p50)],
        ['warm single-row predict p90 (ms)', fmt(node.p90, 3), fmt(worker.p90, 3), ratio(worker.p90, node.p90)],
      ],
    );
    const markdown = [
      `The same bundle (penguins species, 5 epochs) served from storage that already holds it, by the Node edge (\`startNodeEdge\` in a child process: SQLite, disk) and by the Worker bundle on workerd through miniflare 4 (D1 and R2 simulated locally, persisted in a temp folder), each started fresh ${COLD_RUNS} times, alternating. "Start until listening" is process start to accepting requests (Node: tsx, SQLite, migrations; workerd: the workerd process and miniflare's proxy). "Cold start" is the first \`POST /v1/models/penguins/predict\` of one row after that: on workerd it includes the isolate's start (migration check, ADMIN_KEY sync), the routing query and loading the bundle from R2; on Node, the routing query and loading the bundle from disk. Warm latency is ${WARM_REQUESTS} sequential one-row predicts over keep-alive \`fetch\` after ${WARMUP_REQUESTS} untimed ones. Both run the lean runtime's WebAssembly SIMD Dense kernel (workerd, which refuses to compile WebAssembly at run time, from the module the Worker imports precompiled).`,
      '',
      table,
      '',
      `Worker bundle (\`npx tsx edge/build-worker.ts\`): ${kib(built.bytes)} minified, **${kib(built.gzipBytes)} gzipped** (target: under ${kib(WORKER_GZIP_TARGET_BYTES)}); no tfjs inside. Beside it, the Dense kernel it imports precompiled (\`dense-kernel.wasm\`): ${kib(built.kernelBytes)}.`,
      '',
      "Local workerd is not Cloudflare's network: there D1 is a remote database (each query a network round trip from the isolate), and an isolate starts without a process start, so a deployed cold start should be dominated by D1 round trips (two for the isolate's start, two or three to route and load a model) rather than by the figures above.",
    ].join('\n');
    return { title: 'Edge on Workers: workerd vs Node', markdown };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
