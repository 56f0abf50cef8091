import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startNodeEdge } from '../../edge/runtime/node';
import { edgeContract } from './edge.contract';

edgeContract('Node + SQLite', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'flywheel-contract-'));
  const edge = await startNodeEdge({ port: 0, dataDir, version: 'contract' });
  if (!edge.adminKey) throw new Error('a fresh data folder must create an admin key');
  const predictKey = (await edge.services.keys.create('predict', 'contract')).key;
  return { url: edge.url, adminKey: edge.adminKey, predictKey, close: edge.close };
});
