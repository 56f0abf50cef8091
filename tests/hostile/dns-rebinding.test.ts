/**
 * DNS rebinding (defect 7): an edge on loopback answers only Host names a page of its own could
 * send (localhost names, IP addresses) or that it is told to allow, on every route and transport.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllowedHosts } from '../../edge/runtime/node-allowed-hosts';
import { answersIn, exchange, hostileEdge, predictRequest, type HostileEdge } from './support';

/** A predict (the fast path), a Hono predict and a plain GET, each with `host`, on one connection per request. */
async function statuses(edge: HostileEdge, host: string): Promise<number[]> {
  const withHost = (b: Buffer) =>
    Buffer.from(b.toString('latin1').replace('host: 127.0.0.1', `host: ${host}`), 'latin1');
  const requests = [
    predictRequest({ extra: 'connection: close\r\n' }),
    predictRequest({ target: '/v1/models/penguins:predict', extra: 'connection: close\r\n' }),
    Buffer.from('GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n'),
  ];
  const out = [];
  for (const r of requests) {
    const [answer] = answersIn((await exchange(edge.port, withHost(r))).text);
    out.push(answer.status);
    if (answer.status === 403) {
      expect(JSON.parse(answer.body)).toEqual({
        error: {
          code: 'forbidden',
          message: expect.stringContaining(
            `Host "${host.replace(/:\d+$/, '').replace(/\.$/, '').toLowerCase()}" is not allowed`,
          ),
          details: [{ path: 'host', message: 'not allowed' }],
        },
      });
      expect(answer.body).toContain('--allowed-hosts');
      expect(answer.headers['x-request-id']).toBeTruthy();
    }
  }
  return out;
}

describe('an edge on loopback (the default)', () => {
  let edge: HostileEdge;
  beforeAll(async () => {
    edge = await hostileEdge();
  }, 60_000);
  afterAll(() => edge?.close());

  it.each(['evil.example', 'evil.example:8787', 'localhost.evil.example', 'EVIL.example.'])(
    'refuses Host %s on every route with a 403 naming it',
    async (host) => {
      expect(await statuses(edge, host)).toEqual([403, 403, 403]);
    },
  );

  it.each(['127.0.0.1', 'localhost', 'localhost:8787', '[::1]:8787', 'app.localhost', '192.168.1.20'])(
    'answers Host %s',
    async (host) => {
      expect(await statuses(edge, host)).toEqual([200, 200, 200]);
    },
  );
});

describe('an edge with allowed hosts', () => {
  let edge: HostileEdge;
  beforeAll(async () => {
    edge = await hostileEdge({ allowedHosts: parseAllowedHosts('edge.example.com, .corp.example') });
  }, 60_000);
  afterAll(() => edge?.close());

  it('answers those, their subdomains where a leading dot asks, and still localhost names', async () => {
    for (const host of ['edge.example.com', 'corp.example', 'a.corp.example', 'localhost'])
      expect(await statuses(edge, host), host).toEqual([200, 200, 200]);
    for (const host of ['other.example.com', 'sub.edge.example.com'])
      expect(await statuses(edge, host), host).toEqual([403, 403, 403]);
  });
});

describe('an edge bound to every address', () => {
  let edge: HostileEdge;
  beforeAll(async () => {
    edge = await hostileEdge({ host: '0.0.0.0' });
  }, 60_000);
  afterAll(() => edge?.close());

  it('answers any Host: whatever names point at it are meant to reach it', async () => {
    expect(await statuses(edge, 'edge.lan.example')).toEqual([200, 200, 200]);
  });
});

describe('parseAllowedHosts', () => {
  it('reads a list, * and nothing, and names what is not a host', () => {
    expect(parseAllowedHosts(' A.example , .b.example ')).toEqual(['a.example', '.b.example']);
    expect(parseAllowedHosts('*')).toBe('*');
    expect(parseAllowedHosts('  ')).toBeUndefined();
    expect(() => parseAllowedHosts('https://a.example', '--allowed-hosts')).toThrow(
      '--allowed-hosts: "https://a.example" is not a host name',
    );
  });
});
