import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startNodeEdge } from './node';

const dirs: string[] = [];
const dataDir = async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'flywheel-node-'));
  dirs.push(dir);
  return dir;
};
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('startNodeEdge', () => {
  it('says the port is taken instead of failing with an internal error', async () => {
    const first = await startNodeEdge({ port: 0, dataDir: await dataDir(), version: 'test', autoTick: false });
    try {
      const port = Number(new URL(first.url).port);
      const second = await startNodeEdge({ port, dataDir: await dataDir(), version: 'test', autoTick: false }).catch(
        (e: unknown) => e,
      );
      expect(second).toMatchObject({
        code: 'bad_input',
        message: `port ${port} is already in use on 127.0.0.1: stop what is listening there, or choose another with --port`,
      });
    } finally {
      await first.close();
    }
  });

  it('says an address that is not this machine’s cannot be listened on', async () => {
    // 203.0.113.0/24 is TEST-NET-3: never an address of this machine.
    const e = await startNodeEdge({
      port: 0,
      host: '203.0.113.7',
      dataDir: await dataDir(),
      version: 'test',
      autoTick: false,
    }).catch((err: unknown) => err);
    expect(e).toMatchObject({
      code: 'bad_input',
      message: 'cannot listen on 203.0.113.7: no such address on this machine (--host)',
    });
  });
});
