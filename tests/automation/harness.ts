/** A Node edge on an injected clock, with helpers to train, publish, serve traffic and run the agent in-process. */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { EdgeClient } from '../../core/api/client';
import { runAgent } from '../../core/automation/runner';
import { loadSource } from '../../core/data/sources';
import { toRows } from '../../core/data/table';
import { runPipeline } from '../../core/pipeline';
import { nodeSourceIO } from '../../cli/node-io';
import { startNodeEdge, type RunningEdge } from '../../edge/runtime/node';

export const MINUTE = 60_000;

export interface Loop {
  dir: string;
  dataDir: string;
  clock: { now: number };
  edge: RunningEdge;
  admin: EdgeClient;
  restart(): Promise<void>;
  tick(): Promise<void>;
  events(model: string): Promise<string[]>;
  agent(name?: string): ReturnType<typeof runAgent>;
  close(): Promise<void>;
}

const LOOP_RESERVE_SECRET = '5eed'.repeat(16);

export async function startLoop(): Promise<Loop> {
  await tf.setBackend('cpu');
  const dir = await mkdtemp(path.join(tmpdir(), 'flywheel-loop-'));
  const dataDir = path.join(dir, 'data');
  const clock = { now: Date.UTC(2026, 0, 5, 12) };
  const start = () => startNodeEdge({ port: 0, dataDir, version: 'loop', now: () => clock.now, autoTick: false });
  let edge = await start();
  // A fixed verification-reserve secret, so the feedback rows that judge a challenger are the same in
  // every run; a deployment draws its own at random (edge/automation/reserve.ts, tested there and by
  // the tests that run the edge as it starts).
  await edge.services.db.run('INSERT OR REPLACE INTO settings (name, value) VALUES (?, ?)', [
    'reserve_secret',
    LOOP_RESERVE_SECRET,
  ]);
  const adminKey = edge.adminKey!;
  const loop: Loop = {
    dir,
    dataDir,
    clock,
    edge,
    admin: new EdgeClient(edge.url, { key: adminKey }),
    async restart() {
      await edge.close();
      edge = await start();
      loop.edge = edge;
      loop.admin = new EdgeClient(edge.url, { key: adminKey });
    },
    tick: () => edge.services.flush().then(() => edge.services.automation.tick()),
    async events(model) {
      return (await loop.admin.events(model)).events.reverse().map((e) => `${e.type}: ${e.reason}`);
    },
    agent: (name = 'agent-1') =>
      runAgent({
        client: loop.admin,
        runner: name,
        io: nodeSourceIO,
        backend: 'cpu',
        codeVersion: 'loop',
        pollMs: 10,
        once: true,
      }),
    close: () => edge.close(),
  };
  return loop;
}

/** seattle-weather rows split by year, written as CSV files: what the scenarios train and serve on. */
export async function seattleFiles(
  dir: string,
): Promise<{ early: string; late: Record<string, string | number | null>[] }> {
  const rows = toRows((await loadSource('sample:seattle-weather', nodeSourceIO)).table);
  const early = rows.filter((r) => String(r.date) < '2014');
  const late = rows.filter((r) => String(r.date) >= '2014');
  const file = path.join(dir, 'seattle-2012-2013.csv');
  await writeFile(file, Papa.unparse(early));
  return { early: file, late };
}

export async function trainBundle(spec: object): Promise<Uint8Array> {
  return (await runPipeline(spec, { io: nodeSourceIO, backend: 'cpu', codeVersion: 'loop' })).bundle.bytes;
}

let requestCounter = 0;

/** Serves `rows` (without their label) and sends the true label back as feedback for each. */
export async function serveWithFeedback(
  client: EdgeClient,
  model: string,
  rows: Record<string, unknown>[],
  target: string,
  opts: {
    key?: (i: number) => string;
    label?: (row: Record<string, unknown>, predicted: string, version: number) => unknown;
  } = {},
): Promise<void> {
  const items: { request_id: string; label: string | number | boolean }[] = [];
  for (let i = 0; i < rows.length; i++) {
    const { [target]: truth, ...features } = rows[i];
    const res = await client.predict(model, [features], {
      routingKey: opts.key?.(i) ?? `user-${i}`,
      requestId: `${model}-${requestCounter++}`,
    });
    const p = res.predictions[0];
    const predicted = 'label' in p ? p.label : String(p.value);
    items.push({
      request_id: res.request_ids[0],
      label: (opts.label ? opts.label(rows[i], predicted, res.model_version) : truth) as string,
    });
  }
  for (let i = 0; i < items.length; i += 500) await client.feedback(model, items.slice(i, i + 500));
}
