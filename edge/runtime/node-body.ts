/**
 * Reading a request body straight from Node's IncomingMessage: several times cheaper than the Web
 * `Request` stream @hono/node-server creates on first body access (an AbortSignal, a ReadableStream
 * and their transfer plumbing per request), which dominated the predict path's CPU.
 */
import type { IncomingMessage } from 'node:http';
import { tooLarge } from '../http';

export function readIncoming(incoming: IncomingMessage, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let total = 0;
    let failed = false;
    incoming.on('data', (chunk: Buffer) => {
      if (failed) return;
      total += chunk.byteLength;
      // Past the limit the rest is read and dropped, so the client gets its 413 instead of a reset.
      if (total > limit) {
        failed = true;
        reject(tooLarge(limit));
        return;
      }
      parts.push(chunk);
    });
    incoming.on('end', () => {
      if (!failed) resolve(parts.length === 1 ? parts[0] : Buffer.concat(parts, total));
    });
    incoming.on('error', (e) => {
      if (!failed) reject(e);
    });
  });
}
