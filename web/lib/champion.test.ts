import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EdgeClient } from '../../core/api/client';
import { startNodeEdge, type RunningEdge } from '../../edge/runtime/node';
import { fixtures } from '../../tests/contract/fixtures';
import type { GateSpec } from '../../core/gates';
import { championFor } from './champion';

let dir: string;
let edge: RunningEdge;
const vsChampion: GateSpec[] = [{ metric: 'accuracy', vsChampion: { minDelta: 0 } }];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'flywheel-champion-'));
  edge = await startNodeEdge({ port: 0, dataDir: dir, version: 'test', autoTick: false });
  const client = new EdgeClient(edge.url, { key: edge.adminKey! });
  const { penguins, penguins2 } = await fixtures();
  await client.publish('penguins', penguins);
  await client.publish('penguins', penguins2);
  await client.setAlias('penguins', 'champion', 2);
}, 120_000);

afterAll(async () => {
  await edge?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('championFor', () => {
  it('reads the champion of the spec’s name from the edge when a gate compares with it', async () => {
    const champion = await championFor({ name: 'penguins', gates: vsChampion }, { name: 'here', url: edge.url });
    const info = await new EdgeClient(edge.url).model('penguins');
    expect(champion).toEqual({ version: '2', metrics: info.versions.find((v) => v.version === 2)!.metrics });
    expect(champion!.metrics.accuracy).toEqual(expect.any(Number));
  });

  it('is null without a vsChampion gate, a name, or a model of that name', async () => {
    const here = { name: 'here', url: edge.url };
    expect(await championFor({ name: 'penguins', gates: [{ metric: 'accuracy', min: 0.8 }] }, here)).toBeNull();
    expect(await championFor({ gates: vsChampion }, here)).toBeNull();
    expect(await championFor({ name: 'nobody', gates: vsChampion }, here)).toBeNull();
  });

  it('fails when the edge cannot be reached, so the notebook can say so', async () => {
    await expect(
      championFor({ name: 'penguins', gates: vsChampion }, { name: 'gone', url: 'http://127.0.0.1:9' }),
    ).rejects.toMatchObject({ code: expect.any(String) });
  });
});
