import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { readIncoming } from './node-body';

/** Serves one request whose client sends part of the body and closes; `read` gets it once the connection is gone. */
async function cutShortRequest(read: (req: IncomingMessage) => Promise<unknown>): Promise<unknown> {
  let outcome: (v: unknown) => void = () => {};
  const result = new Promise((resolve) => (outcome = resolve));
  const server = createServer((req) => {
    req.once('close', () => void read(req).then(outcome, outcome));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = request({
    port: (server.address() as AddressInfo).port,
    host: '127.0.0.1',
    method: 'POST',
    path: '/v1/upload',
    headers: { 'content-length': '100000' },
  });
  client.on('error', () => {});
  client.write(Buffer.alloc(100), () => setTimeout(() => client.destroy(), 50));
  try {
    return await result;
  } finally {
    server.close();
  }
}

describe('readIncoming', () => {
  it('rejects, instead of waiting forever, a body whose connection closed before reading began', async () => {
    const e = await cutShortRequest((req) => readIncoming(req, 1 << 20));
    expect(e).toMatchObject({
      code: 'bad_input',
      message: 'the request body was cut short: the connection closed before all of it arrived',
    });
  }, 10_000);
});
