import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startNodeEdge } from '../../edge/runtime/node';
import { edgeContract } from './edge.contract';

// Both Node transports: own-format predict answered by the node:http fast path, and by the Hono route alone.
edgeContract('Node + SQLite', () => start(true));
edgeContract('Node + SQLite, Hono only (no fast path)', () => start(false));

async function start(fastPredict: boolean) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'flywheel-contract-'));
  const edge = await startNodeEdge({ port: 0, dataDir, version: 'contract', fastPredict });
  if (!edge.adminKey) throw new Error('a fresh data folder must create an admin key');
  const predictKey = (await edge.services.keys.create('predict', 'contract')).key;
  return { url: edge.url, adminKey: edge.adminKey, predictKey, close: edge.close };
}
