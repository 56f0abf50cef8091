/**
 * What the hostile-traffic suite shares: an edge with one small model published, and a client that
 * speaks bytes over a real socket (node:net), so requests no well-behaved client would send reach the
 * server as written.
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EdgeClient } from '../../core/api/client';
import { runPipeline } from '../../core/pipeline';
import { nodeSourceIO } from '../../cli/node-io';
import { startNodeEdge, type NodeEdgeOptions, type RunningEdge } from '../../edge/runtime/node';

export { PENGUIN } from '../contract/fixtures';

let bundle: Promise<Uint8Array> | null = null;

/** A penguins classifier trained for two epochs: the suite needs a model to serve, not a good one. */
export function smallBundle(): Promise<Uint8Array> {
  bundle ??= (async () => {
    await tf.setBackend('cpu');
    const run = await runPipeline(
      { name: 'penguins', data: 'sample:penguins', target: 'Species', model: { type: 'mlp' }, train: { epochs: 2 } },
      { io: nodeSourceIO, backend: 'cpu', codeVersion: 'hostile' },
    );
    return run.bundle.bytes;
  })();
  return bundle;
}

export interface HostileEdge extends RunningEdge {
  port: number;
  /** A key with the predict scope. */
  predictKey: string;
  /** Rows the prediction log holds for `requestId` (after writing what is buffered). */
  logged(requestId: string): Promise<number>;
}

/** Starts a Node edge on a fresh data folder with `penguins` published; `close` also removes the folder. */
export async function hostileEdge(options: Partial<NodeEdgeOptions> = {}): Promise<HostileEdge> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'flywheel-hostile-'));
  const edge = await startNodeEdge({ port: 0, dataDir, version: 'hostile', autoTick: false, ...options });
  await new EdgeClient(edge.url, { key: edge.adminKey! }).publish('penguins', await smallBundle());
  const predictKey = (await edge.services.keys.create('predict', 'hostile')).key;
  return {
    ...edge,
    port: Number(new URL(edge.url).port),
    predictKey,
    async logged(requestId) {
      await edge.services.flush();
      return (await edge.services.db.first<{ n: number }>(
        'SELECT COUNT(*) AS n FROM predictions WHERE request_id = ?',
        [requestId],
      ))!.n;
    },
    async close() {
      await edge.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A predict request as bytes: `target` may hold any byte (latin1), `extra` header lines end in CRLF. */
export function predictRequest(o: { target?: string; id?: string; extra?: string; body?: string } = {}): Buffer {
  const body =
    o.body ??
    JSON.stringify({
      instances: [
        {
          Island: 'Biscoe',
          'Beak Length (mm)': 47.5,
          'Beak Depth (mm)': 14.2,
          'Flipper Length (mm)': 215,
          'Body Mass (g)': 5300,
          Sex: 'MALE',
        },
      ],
    });
  const id = o.id === undefined ? '' : `x-request-id: ${o.id}\r\n`;
  const head = `POST ${o.target ?? '/v1/models/penguins/predict'} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n${id}${o.extra ?? ''}content-length: ${Buffer.byteLength(body)}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(body)]);
}

export interface Exchange {
  /** Everything the server sent, as latin1 text. */
  text: string;
  /** Whether the server closed the connection (false: the client gave up after `timeoutMs`). */
  closedByServer: boolean;
}

/**
 * Writes `bytes` on a fresh connection and reads until the server closes it, `done(text)` says the
 * client has all it waits for (the client then closes), or `timeoutMs` passes. With `gate`, the
 * bytes wait for it once connected (`connected` says when), so many connections can write at once.
 */
export function exchange(
  port: number,
  bytes: Buffer | Buffer[],
  o: {
    timeoutMs?: number;
    done?: (text: string) => boolean;
    gapMs?: number;
    connected?: () => void;
    gate?: Promise<void>;
  } = {},
): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    let text = '';
    let settled = false;
    const finish = (closedByServer: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, closedByServer });
    };
    const timer = setTimeout(() => finish(false), o.timeoutMs ?? 5_000);
    const write = async () => {
      o.connected?.();
      if (o.gate) await o.gate;
      for (const part of Array.isArray(bytes) ? bytes : [bytes]) {
        if (socket.destroyed) return;
        socket.write(part);
        if (o.gapMs) await new Promise((r) => setTimeout(r, o.gapMs));
      }
    };
    const socket = net.connect(port, '127.0.0.1', () => {
      write().catch((e: unknown) => settled || reject(e));
    });
    socket.on('data', (d) => {
      text += d.toString('latin1');
      if (o.done?.(text)) finish(false);
    });
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' ? finish(true) : settled || reject(e)));
  });
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The answers in a connection's byte stream, each body sized by its Content-Length (all the edge sends). */
export function answersIn(stream: string): Answer[] {
  const out: Answer[] = [];
  let at = 0;
  for (;;) {
    const end = stream.indexOf('\r\n\r\n', at);
    if (end < 0) return out;
    const [statusLine, ...lines] = stream.slice(at, end).split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines)
      headers[line.slice(0, line.indexOf(':')).toLowerCase()] = line.slice(line.indexOf(':') + 1).trim();
    const length = Number(headers['content-length'] ?? 0);
    out.push({ status: Number(statusLine.split(' ')[1]), headers, body: stream.slice(end + 4, end + 4 + length) });
    at = end + 4 + length;
  }
}

/** How many answer heads a stream holds so far (cheap enough to call on every chunk of a long stream). */
export function countHeads(stream: string): number {
  let n = 0;
  for (let at = stream.indexOf('HTTP/1.1 '); at >= 0; at = stream.indexOf('HTTP/1.1 ', at + 9)) n++;
  return n;
}
