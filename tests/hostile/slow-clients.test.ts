/**
 * Slow clients (slowloris): heads and bodies sent a byte at a time must not hold connections past
 * the server's header and request timeouts, and other clients are served meanwhile. The timeouts are
 * shortened here; CLIENT_TIMEOUTS holds the real ones.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answersIn, exchange, hostileEdge, predictRequest, type HostileEdge } from './support';

let edge: HostileEdge;

beforeAll(async () => {
  edge = await hostileEdge({ timeouts: { headersMs: 1_000, requestMs: 2_000, checkEveryMs: 200 } });
}, 60_000);

afterAll(async () => {
  await edge?.close();
});

/** `bytes` one at a time, `gapMs` apart (the client gives up, unanswered, after 8 s). */
const trickle = (bytes: Buffer, gapMs = 100) =>
  exchange(
    edge.port,
    [...bytes].map((b) => Buffer.of(b)),
    { gapMs, timeoutMs: 8_000 },
  );

describe('slow clients', () => {
  it('a head sent a byte at a time is cut off at the header timeout, and others are served meanwhile', async () => {
    const whole = predictRequest({ id: 'slow-head' });
    const slow = Array.from({ length: 10 }, () => trickle(whole.subarray(0, whole.indexOf('\r\n\r\n'))));
    // While the slow ones trickle, a normal client gets its answers.
    for (let i = 0; i < 5; i++) {
      const [answer] = answersIn((await exchange(edge.port, predictRequest({ extra: 'connection: close\r\n' }))).text);
      expect(answer.status).toBe(200);
    }
    for (const got of await Promise.all(slow)) {
      expect(got.closedByServer).toBe(true);
      expect(answersIn(got.text).map((a) => a.status)).toEqual([408]);
    }
    expect(await edge.logged('slow-head')).toBe(0);
  });

  it('a body sent a byte at a time is cut off at the request timeout, on the fast path and through Hono', async () => {
    const requests = [
      predictRequest({ id: 'slow-body-fast' }),
      predictRequest({ id: 'slow-body-hono', target: '/v1/models/penguins:predict' }),
    ];
    const slow = requests.map((r) => {
      const end = r.indexOf('\r\n\r\n') + 4;
      return exchange(edge.port, [r.subarray(0, end), ...[...r.subarray(end)].map((b) => Buffer.of(b))], {
        gapMs: 100,
        timeoutMs: 8_000,
      });
    });
    const [answer] = answersIn((await exchange(edge.port, predictRequest({ extra: 'connection: close\r\n' }))).text);
    expect(answer.status).toBe(200);
    for (const got of await Promise.all(slow)) {
      expect(got.closedByServer).toBe(true);
      expect(answersIn(got.text).map((a) => a.status)).toEqual([408]);
    }
    expect(await edge.logged('slow-body-fast')).toBe(0);
  });
});
