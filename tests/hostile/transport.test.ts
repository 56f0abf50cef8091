/**
 * HTTP framing under hostile clients, over real sockets against the real server: control bytes in
 * the request-target, bytes after `Connection: close`, and deep pipelines. llhttp (Node's parser)
 * frames every request; these pin what it guarantees so no hand-written parser creeps back in.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
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
  const targets = bytes.flatMap(
    (b) =>
      [
        ['path', b, `/v1/models/pengu${String.fromCharCode(b)}ins/predict`],
        ['query', b, `/v1/models/penguins/predict?q=${String.fromCharCode(b)}`],
      ] as const,
  );

  it.each(targets)(
    'with a control byte in the %s (0x%s) is refused with 400 and nothing is predicted',
    async (where, b, target) => {
      const id = `ctl-${where}-${b.toString(16)}`;
      const got = await exchange(edge.port, predictRequest({ target, id }));
      const answers = answersIn(got.text);
      expect(answers.map((a) => a.status)).toEqual([400]);
      // A request the parser refuses ends the connection: what follows it cannot be framed.
      expect(got.closedByServer).toBe(true);
      expect(await edge.logged(id)).toBe(0);
    },
  );
});

describe('Connection: close', () => {
  it('ends the exchange: bytes after that request are neither parsed nor predicted, on 20 connections at once', async () => {
    // A warm model answers without waiting, so answers from many connections are ready together.
    expect(
      answersIn((await exchange(edge.port, predictRequest({ extra: 'connection: close\r\n' }))).text)[0].status,
    ).toBe(200);
    const connections = 20;
    let open = 0;
    let go = () => {};
    const gate = new Promise<void>((resolve) => (go = resolve));
    const connected = () => ++open === connections && go();
    const got = await Promise.all(
      Array.from({ length: connections }, (_, i) =>
        exchange(
          edge.port,
          Buffer.concat([
            predictRequest({ id: `close-${i}-a`, extra: 'connection: close\r\n' }),
            predictRequest({ id: `close-${i}-b` }),
          ]),
          { gate, connected },
        ),
      ),
    );
    for (const [i, { text, closedByServer }] of got.entries()) {
      expect(closedByServer).toBe(true);
      expect(answersIn(text).map((a) => [a.status, a.headers['x-request-id']])).toEqual([[200, `close-${i}-a`]]);
      expect(await edge.logged(`close-${i}-a`)).toBe(1);
      expect(await edge.logged(`close-${i}-b`)).toBe(0);
    }
  });
});

describe('what llhttp refuses otherwise', () => {
  it.each([
    ['a head over 16 KB', predictRequest({ id: 'big-head', extra: `x-pad: ${'a'.repeat(17_000)}\r\n` }), 431],
    [
      'a bare LF in the head',
      Buffer.from(
        predictRequest({ id: 'bare-lf' }).toString('latin1').replace('host: 127.0.0.1\r\n', 'host: 127.0.0.1\n'),
        'latin1',
      ),
      400,
    ],
    [
      'Content-Length with Transfer-Encoding',
      predictRequest({ id: 'cl-te', extra: 'transfer-encoding: chunked\r\n' }),
      400,
    ],
  ])('%s is answered %i, the connection closed, nothing predicted', async (label, request, status) => {
    const got = await exchange(edge.port, request);
    expect(
      answersIn(got.text).map((a) => a.status),
      label,
    ).toEqual([status]);
    expect(got.closedByServer).toBe(true);
    expect(await edge.logged(/x-request-id: ([\w-]+)/.exec(request.toString('latin1'))![1])).toBe(0);
  });
});

/**
 * The server's stack, in KB, for the deep pipelines: a tenth of V8's default (~984 KB), so that work
 * which deepens the stack with each pipelined request overflows within 2,000 of them on any machine,
 * however the requests happen to arrive in reads. The raw-socket path's answer → send → write → pump
 * recursion did here at this size (103 of 2,001 answered, then the connection hung), where the
 * review saw it at the default size.
 */
const SMALL_STACK_KB = 100;

describe('deep pipelines', () => {
  let child: ChildProcess;
  let port: number;
  let predictKey: string;
  beforeAll(async () => {
    child = spawn(
      process.execPath,
      [`--stack-size=${SMALL_STACK_KB}`, '--import', 'tsx', path.join(import.meta.dirname, 'edge-process.ts')],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const first = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`the edge process exited (${code}) before listening`)));
    });
    ({ port, predictKey } = JSON.parse(first) as { port: number; predictKey: string });
    // A warm model, as under real traffic: answers are then made without waiting on anything.
    expect(answersIn((await exchange(port, predictRequest({ extra: 'connection: close\r\n' }))).text)[0].status).toBe(
      200,
    );
  }, 60_000);
  afterAll(async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.stdin!.end();
    await exited;
  });

  /** Opens `connections` connections at once, each writing `first` then `depth` predicts in one go, and reads every answer. */
  async function pipelines(connections: number, first: Buffer | null, depth: number, perRequest: Buffer) {
    const batch = Buffer.concat([...(first ? [first] : []), ...Array.from({ length: depth }, () => perRequest)]);
    const expected = depth + (first ? 1 : 0);
    // Every connection is open before any writes, so their requests arrive together.
    let open = 0;
    let go = () => {};
    const gate = new Promise<void>((resolve) => (go = resolve));
    const connected = () => ++open === connections && go();
    // Bounded: a connection left hanging gives up after 45 s (the answers take a few on a quiet machine) and fails the count below.
    const done = (text: string) =>
      countHeads(text) >= expected && answersIn(text.slice(text.lastIndexOf('HTTP/1.1 '))).length === 1;
    return Promise.all(
      Array.from({ length: connections }, () => exchange(port, batch, { timeoutMs: 45_000, done, connected, gate })),
    );
  }

  it('answers every request of 16 connections that each send a bogus key, then 2,000 predicts', async () => {
    // Minimal requests: the more of them a read brings in at once, the deeper any recursion goes.
    const body = '{"instances":[["Biscoe",47.5,14.2,215,5300,"MALE"]]}';
    const minimal = (extra = '') =>
      Buffer.from(
        `POST /v1/models/penguins/predict HTTP/1.1\r\nHost:127.0.0.1\r\n${extra}Content-Type:application/json\r\nContent-Length:${body.length}\r\n\r\n${body}`,
      );
    const got = await pipelines(16, minimal('Authorization:Bearer fw_predict_bogus\r\n'), 2000, minimal());
    expect(child.exitCode).toBeNull();
    for (const { text, closedByServer } of got) {
      const answers = answersIn(text);
      expect(closedByServer).toBe(false);
      expect(answers).toHaveLength(2001);
      expect(answers[0].status).toBe(401);
      expect(answers.slice(1).every((a) => a.status === 200)).toBe(true);
    }
  });

  it('answers every request of 8 connections pipelining 500 predicts, each with a key', async () => {
    const got = await pipelines(8, null, 500, predictRequest({ extra: `authorization: Bearer ${predictKey}\r\n` }));
    for (const { text } of got) {
      const answers = answersIn(text);
      expect(answers).toHaveLength(500);
      expect(answers.every((a) => a.status === 200)).toBe(true);
    }
  });
});
