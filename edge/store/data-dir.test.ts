import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FlywheelError } from '../../core/errors';
import { openDataDir, writeSecretFile } from './data-dir';

const dir = mkdtempSync(path.join(tmpdir(), 'flywheel-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const mode = (file: string): number => statSync(file).mode & 0o777;

describe('openDataDir', () => {
  it('creates the folder with mode 0700 and returns absolute paths inside it', async () => {
    const target = path.join(dir, 'nested', '.flywheel');
    const data = await openDataDir(path.relative(process.cwd(), target));
    expect(data).toEqual({
      dir: target,
      dbFile: path.join(target, 'flywheel.db'),
      blobsDir: path.join(target, 'blobs'),
      adminKeyFile: path.join(target, 'admin.key'),
    });
    expect(mode(target)).toBe(0o700);
    expect(await openDataDir(target)).toEqual(data);
  });
});

describe('writeSecretFile', () => {
  it('writes the text with mode 0600 and no temp file left behind', async () => {
    const { dir: home, adminKeyFile } = await openDataDir(path.join(dir, 'secret-1'));
    await writeSecretFile(adminKeyFile, 'fw_admin_abc');
    expect(readFileSync(adminKeyFile, 'utf8')).toBe('fw_admin_abc');
    expect(mode(adminKeyFile)).toBe(0o600);
    expect(readdirSync(home)).toEqual(['admin.key']);
  });

  it('refuses to overwrite an existing file unless asked', async () => {
    const { dir: home, adminKeyFile } = await openDataDir(path.join(dir, 'secret-2'));
    writeFileSync(adminKeyFile, 'original', { mode: 0o644 });
    const err = await writeSecretFile(adminKeyFile, 'replacement').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlywheelError);
    expect((err as FlywheelError).code).toBe('bad_input');
    expect((err as FlywheelError).message).toContain(adminKeyFile);
    expect(readFileSync(adminKeyFile, 'utf8')).toBe('original');
    expect(readdirSync(home)).toEqual(['admin.key']);

    await writeSecretFile(adminKeyFile, 'replacement', { overwrite: true });
    expect(readFileSync(adminKeyFile, 'utf8')).toBe('replacement');
    expect(mode(adminKeyFile)).toBe(0o600);
    expect(readdirSync(home)).toEqual(['admin.key']);
  });

  it('of two concurrent first writes exactly one wins', async () => {
    const { adminKeyFile } = await openDataDir(path.join(dir, 'secret-3'));
    const results = await Promise.allSettled([
      writeSecretFile(adminKeyFile, 'one'),
      writeSecretFile(adminKeyFile, 'two'),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won.length).toBe(1);
    expect(['one', 'two']).toContain(readFileSync(adminKeyFile, 'utf8'));
  });
});

describe('openDataDir after a crash mid-write', () => {
  it('removes the stale temp files of atomic writes, and nothing else', async () => {
    const home = path.join(dir, 'crashed');
    const bundles = path.join(home, 'blobs', 'bundles', 'penguins');
    mkdirSync(bundles, { recursive: true });
    const hourAgo = new Date(Date.now() - 60 * 60_000);
    const file = (p: string, old: boolean) => {
      writeFileSync(p, 'x');
      if (old) utimesSync(p, hourAgo, hourAgo);
      return p;
    };
    const staleBundle = file(path.join(bundles, '.abc.zip.0b7c5f3e-8a1d-4c1e-9f0a-2d3b4c5d6e7f.tmp'), true);
    const staleKey = file(path.join(home, '.admin.key.1b7c5f3e-8a1d-4c1e-9f0a-2d3b4c5d6e7f.tmp'), true);
    const fresh = file(path.join(bundles, '.def.zip.2b7c5f3e-8a1d-4c1e-9f0a-2d3b4c5d6e7f.tmp'), false);
    const notOurs = file(path.join(home, '.notes.tmp'), true);
    const bundle = file(path.join(bundles, 'abc.zip'), true);
    await openDataDir(home);
    expect(existsSync(staleBundle)).toBe(false);
    expect(existsSync(staleKey)).toBe(false);
    for (const kept of [fresh, notOurs, bundle]) expect(existsSync(kept)).toBe(true);
  });
});
