import { appendFile, cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeCodeVersion } from '../build/code-version';
import { memoryCache, runPipeline, type RunEvent } from '../core/pipeline';
import { nodeSourceIO } from './node-io';
import { runCaptured } from './run-captured';
import { useNodeBackend } from './tfjs-node';
import { PACKAGE_VERSION, trainingCodeVersion } from './version';

const repoRoot = path.join(import.meta.dirname, '..');

/** A copy of what the code version reads: package.json and core/. */
async function copyOfSources(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'flywheel-codever-'));
  await cp(path.join(repoRoot, 'package.json'), path.join(dir, 'package.json'));
  await cp(path.join(repoRoot, 'core'), path.join(dir, 'core'), { recursive: true });
  return dir;
}

describe('the training code version', () => {
  it('is the package version plus a hash of the training sources, and changes when they change', async () => {
    const dir = await copyOfSources();
    const before = computeCodeVersion(dir);
    expect(before).toMatch(new RegExp(`^${PACKAGE_VERSION.replaceAll('.', '\\.')}\\+[0-9a-f]{12}$`));
    expect(computeCodeVersion(dir)).toBe(before);
    expect(trainingCodeVersion()).toBe(before);

    // A test changes nothing that trains.
    await appendFile(path.join(dir, 'core/model/train.test.ts'), '\n// edited\n');
    expect(computeCodeVersion(dir)).toBe(before);

    // Editing the model code does.
    const file = path.join(dir, 'core/model/train.ts');
    const original = await readFile(file, 'utf8');
    await writeFile(file, original.replace('export', '/* edited */ export'));
    const edited = computeCodeVersion(dir);
    expect(edited).not.toBe(before);
    await writeFile(file, original);
    expect(computeCodeVersion(dir)).toBe(before);
  });

  it('keys the train cache, so a model trained by other code is not reused', async () => {
    const backend = await useNodeBackend('cpu');
    const cache = memoryCache();
    const spec = {
      data: 'sample:penguins',
      target: 'Species',
      model: { type: 'mlp' as const },
      train: { epochs: 2 },
    };
    const trainCached = async (codeVersion: string) => {
      let cached: boolean | undefined;
      const onEvent = (e: RunEvent) => {
        if (e.type === 'step-end' && e.step === 'train') cached = e.cached;
      };
      await runPipeline(spec, { io: nodeSourceIO, backend, codeVersion, cache, onEvent });
      return cached;
    };
    expect(await trainCached('0.1.0+aaaaaaaaaaaa')).toBe(false);
    expect(await trainCached('0.1.0+aaaaaaaaaaaa')).toBe(true);
    expect(await trainCached('0.1.0+bbbbbbbbbbbb')).toBe(false);
  });
});

describe('flywheel train and the cache', () => {
  it('reuses an unchanged model, trains afresh with --no-cache, and records the code version in lineage', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'flywheel-cache-'));
    const out = path.join(dataDir, 'out');
    const args = [
      'train',
      '--data',
      'sample:penguins',
      '--target',
      'Species',
      '--epochs',
      '2',
      '--backend',
      'cpu',
      '--data-dir',
      dataDir,
      '--out',
      out,
    ];
    const first = await runCaptured(...args);
    expect(first.code).toBe(0);
    expect(first.err).toMatch(/✓ train/);
    const second = await runCaptured(...args);
    expect(second.err).toMatch(/↺ train/);
    const third = await runCaptured(...args, '--no-cache');
    expect(third.code).toBe(0);
    expect(third.err).toMatch(/✓ train/);
    const report = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8')) as {
      lineage: { codeVersion: string };
    };
    expect(report.lineage.codeVersion).toBe(trainingCodeVersion());
    // The default trains by searching: two searches of penguins.
  }, 180_000);
});
