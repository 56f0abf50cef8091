/**
 * `node [flags] --import tsx tests/hostile/edge-process.ts`: a hostile-suite edge (support.ts) in a
 * process of its own, so a test can run the server under flags of its choosing (a smaller stack).
 * Prints one JSON line, `{"port", "predictKey"}`, once listening; closes when stdin ends.
 */
import { hostileEdge } from './support';

const edge = await hostileEdge();
process.stdout.write(`${JSON.stringify({ port: edge.port, predictKey: edge.predictKey })}\n`);
process.stdin.resume();
process.stdin.on('end', () => void edge.close().then(() => process.exit(0)));
