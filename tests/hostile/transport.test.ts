/**
 * HTTP framing under hostile clients, over real sockets against the real server: control bytes in
 * the request-target, bytes after `Connection: close`, and deep pipelines. llhttp (Node's parser)
 * frames every request; these pin what it guarantees so no hand-written parser creeps back in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answersIn, countHeads, exchange, hostileEdge, predictRequest, type HostileEdge } from './support';

let edge: HostileEdge;

beforeAll(async () => {
  edge = await hostileEdge();
}, 60_000);

afterAll(async () => {
  await edge?.close();
});

describe('the request-target', () => {
  const bytes = [0x09, 0x00, 0x01, 0x7f, 0xff];
  const targets = bytes.flatMap((b) => [
    ['path', b, `/v1/models/pengu${String.fromCharCode(b)}ins/predict`],
    ['query', b, `/v1/models/penguins/predict?q=${String.fromCharCode(b)}`],
  ] as const);

  it.each(targets)('with a control byte in the %s (0x%s) is refused with 400 and nothing is predicted', async (where, b, target) => {
    const id = `ctl-${where}-${b.toString(16)}`;
    const got = await exchange(edge.port, predictRequest({ target, id }));
    const answers = answersIn(got.text);
    expect(answers.map((a) => a.status)).toEqual([400]);
    // A request the parser refuses ends the connection: what follows it cannot be framed.
    expect(got.closedByServer).toBe(true);
    expect(await edge.logged(id)).toBe(0);
  });
});

describe('Connection: close', () => {
  it('ends the exchange: bytes after that request are neither parsed nor predicted', async () => {
    const got = await exchange(edge.port, Buffer.concat([predictRequest({ id: 'close-1', extra: 'connection: close\r\n' }), predictRequest({ id: 'close-2' })]));
    expect(got.closedByServer).toBe(true);
    const answers = answersIn(got.text);
    expect(answers.map((a) => [a.status, a.headers['x-request-id']])).toEqual([[200, 'close-1']]);
    expect(await edge.logged('close-1')).toBe(1);
    expect(await edge.logged('close-2')).toBe(0);
  });
});

describe('what llhttp refuses otherwise', () => {
  it.each([
    ['a head over 16 KB', predictRequest({ id: 'big-head', extra: `x-pad: ${'a'.repeat(17_000)}\r\n` }), 431],
    ['a bare LF in the head', Buffer.from(predictRequest({ id: 'bare-lf' }).toString('latin1').replace('host: 127.0.0.1\r\n', 'host: 127.0.0.1\n'), 'latin1'), 400],
    ['Content-Length with Transfer-Encoding', predictRequest({ id: 'cl-te', extra: 'transfer-encoding: chunked\r\n' }), 400],
  ])('%s is answered %i, the connection closed, nothing predicted', async (label, request, status) => {
    const got = await exchange(edge.port, request);
    expect(answersIn(got.text).map((a) => a.status), label).toEqual([status]);
    expect(got.closedByServer).toBe(true);
    expect(await edge.logged(/x-request-id: ([\w-]+)/.exec(request.toString('latin1'))![1])).toBe(0);
  });
});

describe('deep pipelines', () => {
  /** Opens `connections` connections at once, each writing `first` then `depth` predicts in one go, and reads every answer. */
  async function pipelines(connections: number, first: Buffer | null, depth: number, perRequest: Buffer) {
    const batch = Buffer.concat([...(first ? [first] : []), ...Array.from({ length: depth }, () => perRequest)]);
    const expected = depth + (first ? 1 : 0);
    // Every connection is open before any writes, so their requests arrive together.
    let open = 0;
    let go = () => {};
    const gate = new Promise<void>((resolve) => (go = resolve));
    const connected = () => ++open === connections && go();
    // Bounded: a connection left hanging gives up after 30 s and fails the count below.
    const done = (text: string) => countHeads(text) >= expected && answersIn(text.slice(text.lastIndexOf('HTTP/1.1 '))).length === 1;
    return Promise.all(Array.from({ length: connections }, () => exchange(edge.port, batch, { timeoutMs: 30_000, done, connected, gate })));
  }

  it('answers every request of 16 connections that each send a bogus key, then 2,000 predicts', async () => {
    const got = await pipelines(16, predictRequest({ id: 'bogus', extra: 'authorization: Bearer fw_predict_bogus\r\n' }), 2000, predictRequest());
    for (const { text, closedByServer } of got) {
      const answers = answersIn(text);
      expect(closedByServer).toBe(false);
      expect(answers).toHaveLength(2001);
      expect(answers[0].status).toBe(401);
      expect(answers.slice(1).every((a) => a.status === 200)).toBe(true);
    }
  });

  it('answers every request of 8 connections pipelining 500 predicts, each with a key', async () => {
    const got = await pipelines(8, null, 500, predictRequest({ extra: `authorization: Bearer ${edge.predictKey}\r\n` }));
    for (const { text } of got) {
      const answers = answersIn(text);
      expect(answers).toHaveLength(500);
      expect(answers.every((a) => a.status === 200)).toBe(true);
    }
  });
});
