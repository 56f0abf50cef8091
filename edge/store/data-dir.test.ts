import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
    const results = await Promise.allSettled([writeSecretFile(adminKeyFile, 'one'), writeSecretFile(adminKeyFile, 'two')]);
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won.length).toBe(1);
    expect(['one', 'two']).toContain(readFileSync(adminKeyFile, 'utf8'));
  });
});
