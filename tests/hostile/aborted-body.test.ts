/**
 * Hostile traffic, bodies cut short: a client that closes the connection mid-upload is not an
 * internal error. The server logs one line naming the route (no stack trace) and goes on serving.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startNodeEdge, type RunningEdge } from '../../edge/runtime/node';

let edge: RunningEdge;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'flywheel-hostile-aborted-'));
  edge = await startNodeEdge({ port: 0, dataDir: dir, version: 'test', autoTick: false });
});
afterAll(async () => {
  await edge?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Starts a request that announces `announced` body bytes, sends a few, and closes the connection. */
async function abortMidBody(route: string, headers: Record<string, string>, announced: number): Promise<void> {
  const { port } = new URL(edge.url);
  await new Promise<void>((resolve) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path: route,
      method: 'POST',
      headers: { ...headers, 'content-length': String(announced) },
    });
    req.on('error', () => resolve());
    req.on('close', () => resolve());
    req.write(Buffer.alloc(1024));
    setTimeout(() => req.destroy(), 100);
  });
}

describe('a request body cut short by the client', () => {
  it('is logged as one line naming the route, not as an internal error', async () => {
    const errors = vi.spyOn(console, 'error');
    const warnings = vi.spyOn(console, 'warn');
    try {
      await abortMidBody(
        '/v1/models/upload-cut-short/versions',
        { 'content-type': 'application/zip', authorization: `Bearer ${edge.adminKey}` },
        1_000_000,
      );
      await abortMidBody(
        '/v1/jobs/claim',
        { 'content-type': 'application/json', authorization: `Bearer ${edge.adminKey}` },
        100_000,
      );
      // Both answers come once the server notices, which may be after the client has gone; the upload
      // may even close before its route starts reading (a key check comes first), which must be noticed too.
      const warned = () =>
        warnings.mock.calls
          .map((args) => args.join(' '))
          .filter((w) => w.includes('closed the connection'))
          .sort();
      await vi.waitFor(() => expect(warned()).toHaveLength(2), { timeout: 5000 });
      expect(warned()).toEqual([
        'flywheel: POST /v1/jobs/claim: the client closed the connection before sending the whole body',
        'flywheel: POST /v1/models/upload-cut-short/versions: the client closed the connection before sending the whole body',
      ]);
      expect(errors.mock.calls.flat().join('\n')).not.toContain('internal error');
      expect((await fetch(`${edge.url}/healthz`)).status).toBe(200);
    } finally {
      errors.mockRestore();
      warnings.mockRestore();
    }
  });
});
