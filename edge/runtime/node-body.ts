/**
 * Reading a request body straight from Node's IncomingMessage, for the fast predict path, which
 * answers outside @hono/node-server: it reads as that adapter does, with a limit on top, and says
 * plainly when the client went away mid-body.
 */
import type { IncomingMessage } from 'node:http';
import { bodyCutShort, tooLarge } from '../http';

/**
 * The body as bytes; rejects with too_large past `limit`. A client that closes the connection
 * mid-body is no fault of the server's: that is one line in the log naming the route, and a
 * bad_input error (nobody is left to read the answer), not an internal error with a stack trace.
 */
export function readIncoming(incoming: IncomingMessage, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let total = 0;
    let failed = false;
    const cutShort = () => {
      failed = true;
      reject(bodyCutShort(incoming.method ?? 'POST', incoming.url ?? ''));
    };
    // Closed before anyone listened (the route awaited a key check first): no event will come.
    if (incoming.destroyed && !incoming.readableEnded) {
      cutShort();
      return;
    }
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
      if (failed) return;
      if (incoming.readableAborted || (e as NodeJS.ErrnoException).code === 'ECONNRESET') cutShort();
      else {
        failed = true;
        reject(e);
      }
    });
    incoming.on('close', () => {
      if (!failed && !incoming.complete) cutShort();
    });
  });
}
