/**
 * The Node edge as a child process for bench/workers.bench.ts:
 * `node --import tsx bench/workers-node-edge.ts DATA_DIR` starts `startNodeEdge` on a loopback port
 * over DATA_DIR, prints one JSON line `{ "url", "adminKey" }` once it listens, and stops when its
 * stdin closes.
 */
import { startNodeEdge } from '../edge/runtime/node';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: workers-node-edge.ts DATA_DIR');
const edge = await startNodeEdge({ port: 0, dataDir, version: 'bench' });
process.stdout.write(`${JSON.stringify({ url: edge.url, adminKey: edge.adminKey })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void edge.close().then(() => process.exit(0));
});
