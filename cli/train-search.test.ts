/**
 * `flywheel train` and the model search: with no model flags it searches (model.type auto) on its
 * worker threads and prints and reports the leaderboard; `--model mlp` trains one model; bad search
 * options are usage errors that say what was wrong.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeConfig } from '../core/search/space';
import type { SearchReport } from '../core/search/types';
import { runCaptured as run } from './run-captured';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'flywheel-train-search-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const common = () => [
  '--data',
  'sample:penguins',
  '--target',
  'Species',
  '--no-cache',
  '--data-dir',
  path.join(dir, 'data'),
];

describe('flywheel train with the model search', () => {
  it('searches by default on its threads, prints the leaderboard, and reports the search', async () => {
    const out = path.join(dir, 'auto');
    const r = await run('train', ...common(), '--budget', '20s', '--workers', '2', '--out', out);
    expect(r.code, r.err).toBe(0);
    const report = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8'));
    const search = report.search as SearchReport;
    expect(search).toMatchObject({ method: 'successive-halving', validation: 'k-fold', folds: 3, workers: 2 });
    expect(search.budgetMs).toBe(20_000);
    expect(search.leaderboard.length).toBeGreaterThan(0);
    expect(search.leaderboard[0].trial).toBe(search.chosenTrial);
    expect(search.leaderboard.every((row) => row.backend === 'wasm')).toBe(true);
    expect(report.lineage.search).toEqual(search);
    expect(r.out).toContain(`model search: ${search.leaderboard.length} candidates on 3-fold cross-validation`);
    expect(r.out).toMatch(/trial +model +CV accuracy +rung +epochs +time +backend +status/);
    expect(r.out).toContain(`*${search.chosenTrial} `);
    expect(r.out).toContain(`chose trial ${search.chosenTrial}: ${describeConfig(search.chosen)}`);
    expect(r.err).toContain(`chose trial ${search.chosenTrial}`);
  });

  it('trains the one model --model names, without a search', async () => {
    const out = path.join(dir, 'mlp');
    const r = await run(
      'train',
      ...common(),
      '--model',
      'mlp',
      '--epochs',
      '3',
      '--backend',
      'cpu',
      '--out',
      out,
      '--json',
    );
    expect(r.code, r.err).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.search).toBeNull();
    expect(report.lineage.search).toBeUndefined();
    expect(r.err).not.toContain('searched');
  });

  it.each([
    [['--model', 'forest'], /--model "forest" is not one of auto, mlp, linear/],
    [['--budget', 'soon'], /--budget "soon" is not a duration above zero such as 20s, 5m or 1h/],
    [['--budget', '0s'], /--budget "0s" is not a duration above zero/],
    [['--budget', '2d'], /--budget "2d" is not a duration/],
    [
      ['--model', 'mlp', '--budget', '20s'],
      /--budget is the model search's budget: it goes with --model auto, not --model mlp/,
    ],
    [['--workers', '0'], /--workers "0" is not a whole number of threads ≥ 1/],
    [['--workers', 'two'], /--workers "two" is not a whole number of threads ≥ 1/],
    [['--workers', '1.5'], /--workers "1.5" is not a whole number of threads ≥ 1/],
    [['--backend', 'webgl'], /--backend "webgl" is not one of wasm, cpu \(Node has no WebGL or WebGPU/],
  ])('refuses %j with a usage error', async (args, message) => {
    const r = await run('train', ...common(), ...args, '--out', path.join(dir, 'never'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).toContain('Usage: flywheel train');
  });

  it('marks a failed gate step with ✗ and exits 1, still writing the bundle', async () => {
    const pipeline = path.join(dir, 'gated.json');
    await writeFile(
      pipeline,
      JSON.stringify({ data: 'sample:penguins', target: 'Species', gates: [{ metric: 'accuracy', min: 1.01 }] }),
    );
    const out = path.join(dir, 'gated');
    const r = await run('train', pipeline, '--model', 'mlp', '--epochs', '2', '--out', out);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^✗ gate\s+1 of 1 gate checks failed/m);
    expect(r.err).toMatch(/^✓ train\s/m);
    await readFile(path.join(out, 'bundle.zip'));
  });

  it('refuses --data and --target beside a pipeline file, which names its own', async () => {
    const pipeline = path.join(dir, 'pipeline.json');
    await writeFile(pipeline, JSON.stringify({ data: 'sample:penguins', target: 'Species' }));
    const r = await run('train', pipeline, '--data', 'sample:cars', '--out', path.join(dir, 'never'));
    expect(r.code).toBe(2);
    expect(r.err).toContain(`--data and --target are for training without a pipeline file: ${pipeline} names its own`);
  });
});
