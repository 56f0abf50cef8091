import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../core/pipeline';
import { startNodeEdge, type RunningEdge } from '../edge/runtime/node';
import { runCaptured } from './run-captured';
import { nodeSourceIO } from './node-io';
import { useNodeBackend } from './tfjs-node';

const run = runCaptured;

let dir: string;
let edge: RunningEdge;
let bundle: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'flywheel-cli-edge-'));
  edge = await startNodeEdge({ port: 0, dataDir: path.join(dir, 'data'), version: 'test' });
  const backend = await useNodeBackend('cpu');
  const result = await runPipeline(
    { data: 'sample:penguins', target: 'Species', model: { type: 'mlp' }, train: { epochs: 10 } },
    { io: nodeSourceIO, backend, codeVersion: 'test' },
  );
  bundle = path.join(dir, 'bundle.zip');
  await writeFile(bundle, result.bundle.bytes);
  await writeFile(
    path.join(dir, 'rows.csv'),
    'Island,Beak Length (mm),Beak Depth (mm),Flipper Length (mm),Body Mass (g),Sex\nBiscoe,50,15,220,5500,MALE\n',
  );
});

afterAll(() => edge?.close());

describe('flywheel publish and predict URL/MODEL', () => {
  it('publishes with an admin key, idempotently, and predicts through the edge', async () => {
    const first = await run('publish', bundle, '--edge', edge.url, '--key', edge.adminKey!);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^published penguins-species v1 \(bundle [0-9a-f]{12}\)/);
    expect((await run('publish', bundle, '--edge', edge.url, '--key', edge.adminKey!)).out).toMatch(
      /already holds this bundle/,
    );
    const p = await run('predict', `${edge.url}/penguins-species`, '--data', path.join(dir, 'rows.csv'), '--json');
    expect(p.code).toBe(0);
    expect(JSON.parse(p.out.trim())).toMatchObject({ label: 'Gentoo' });
  });

  it('does not publish a bundle whose gates failed, unless --force', async () => {
    const failed = await runPipeline(
      {
        data: 'sample:penguins',
        target: 'Species',
        model: { type: 'mlp' },
        train: { epochs: 2 },
        gates: [{ metric: 'accuracy', min: 1.01 }],
      },
      { io: nodeSourceIO, backend: await useNodeBackend('cpu'), codeVersion: 'test' },
    );
    expect(failed.gates.passed).toBe(false);
    const file = path.join(dir, 'gate-failed.zip');
    await writeFile(file, failed.bundle.bytes);
    const key = ['--edge', edge.url, '--key', edge.adminKey!, '--name', 'gate-failed'];
    const refused = await run('publish', file, ...key);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('failed its gates when it was trained (1 of 1 gate checks failed');
    expect(refused.err).toContain('--force');
    expect((await run('publish', file, ...key, '--force')).out).toMatch(/^published gate-failed v1/);
  });

  it('explains a missing key, a wrong key and an unreachable edge', async () => {
    expect((await run('publish', bundle, '--edge', edge.url)).err).toContain(
      'needs an API key with the "publish" scope',
    );
    expect((await run('publish', bundle, '--edge', edge.url, '--key', 'fw_wrong')).err).toContain(
      'the API key is unknown or revoked',
    );
    const r = await run('publish', bundle, '--edge', 'http://127.0.0.1:1');
    expect(r.code).toBe(2);
    expect(r.err).toContain('cannot reach the edge at http://127.0.0.1:1');
    const noScheme = await run('publish', bundle, '--edge', '127.0.0.1:8787');
    expect(noScheme.code).toBe(2);
    expect(noScheme.err).toContain('--edge "127.0.0.1:8787" is not an http(s) URL: write it as http://127.0.0.1:8787');
  });
});

describe('flywheel keys', () => {
  it('creates, lists and revokes keys of the local edge while it runs', async () => {
    const data = path.join(dir, 'data');
    const created = JSON.parse(
      (await run('keys', 'create', '--scope', 'publish', '--name', 'ci', '--data', data, '--json')).out,
    );
    expect(created).toMatchObject({ scope: 'publish' });
    expect((await run('publish', bundle, '--edge', edge.url, '--key', created.key)).code).toBe(0);
    const list = JSON.parse((await run('keys', 'list', '--data', data, '--json')).out);
    expect(list.map((k: { scope: string }) => k.scope).sort()).toEqual(['admin', 'publish']);
    expect((await run('keys', 'revoke', created.id, '--data', data)).code).toBe(0);
    expect((await run('keys', 'revoke', created.id, '--data', data)).err).toContain(
      `no active key with id "${created.id}"`,
    );
    expect((await run('keys', 'create', '--scope', 'root', '--data', data)).code).toBe(2);
    // A folder no edge uses: a key made there would be refused by the edge that runs, so none is made.
    const typo = path.join(dir, 'dta');
    const r = await run('keys', 'create', '--scope', 'admin', '--data', typo);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${typo} holds no edge's data (no flywheel.db)`);
    expect(existsSync(typo)).toBe(false);
  });

  it('creates, lists and revokes keys of an edge at a URL with an admin key', async () => {
    const admin = ['--edge', edge.url, '--key', edge.adminKey!];
    const created = JSON.parse(
      (await run('keys', 'create', '--scope', 'predict', '--name', 'web shop', ...admin, '--json')).out,
    );
    expect(created).toMatchObject({ scope: 'predict', id: expect.stringMatching(/^key_/) });
    expect(created.key).toMatch(/^fw_predict_/);
    const list = await run('keys', 'list', ...admin);
    expect(list.out).toContain(created.id);
    expect(list.out).toContain('web shop');
    expect(list.out).not.toContain(created.key);
    // A predict key cannot publish, nor manage keys.
    expect((await run('publish', bundle, '--edge', edge.url, '--key', created.key)).err).toContain(
      'needs the "publish" scope; the key has "predict"',
    );
    expect((await run('keys', 'list', '--edge', edge.url, '--key', created.key)).err).toContain(
      'needs the "admin" scope; the key has "predict"',
    );
    expect((await run('keys', 'revoke', created.id, ...admin)).out).toBe(`revoked ${created.id}\n`);
    expect((await run('keys', 'list', '--edge', edge.url, '--key', created.key)).err).toContain(
      'the API key is unknown or revoked',
    );
    expect((await run('keys', 'list', '--data', 'x', ...admin)).err).toContain('--data and --edge name two edges');
  });
});

describe('flywheel agent', () => {
  it("with --model takes only those models' jobs: an empty queue for them ends --once with nothing done", async () => {
    const r = await run(
      'agent',
      '--edge',
      edge.url,
      '--key',
      edge.adminKey!,
      '--model',
      'penguins-species',
      '--model',
      'cars',
      '--once',
      '--backend',
      'cpu',
    );
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/polling .* for retrain jobs of penguins-species, cars/);
    // penguins-species is published above; cars is not (a typo, most often): said once, nothing refused.
    expect(r.err).toContain('the edge has no model "cars" (yet): its jobs are taken once it has one');
    expect(r.err).not.toContain('no model "penguins-species"');
  });

  it('refuses a --model that is not a model name', async () => {
    const r = await run('agent', '--edge', edge.url, '--model', 'no such/name', '--once');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--model "no such\/name" is not a model name/);
  });

  it.each([
    [['--budget', 'a while'], /--budget "a while" is not a duration above zero such as 20s, 5m or 1h/],
    [['--workers', '0'], /--workers "0" is not a whole number of threads ≥ 1/],
  ])('refuses %j with a usage error', async (args, message) => {
    const r = await run('agent', '--edge', edge.url, ...args, '--once');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });
});
