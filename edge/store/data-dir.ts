/** The Node edge's data folder: where the database, the bundles and the admin key live. */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { FlywheelError } from '../../core/errors';
import { sweepStaleTempFiles, writeFileAtomic } from './atomic-write';

export interface DataDir {
  /** The folder itself, absolute. */
  dir: string;
  /** The SQLite database (its `-wal` and `-shm` files sit beside it). */
  dbFile: string;
  /** Root of the disk blob store. */
  blobsDir: string;
  /** The admin API key, readable by the owner only. */
  adminKeyFile: string;
}

/**
 * Creates the data folder if needed (mode 0700: it holds the admin key and every model) and returns
 * the paths inside it. An existing folder keeps its permissions: it may be one the user made on
 * purpose. Paths are absolute, so a later `chdir` does not move them. Temp files that a crash left
 * mid-write (bundles, the admin key) are removed once they are stale (`sweepStaleTempFiles`).
 */
/** The SQLite database's file name in a data folder. */
export const DB_FILE = 'flywheel.db';

export async function openDataDir(dir: string): Promise<DataDir> {
  const abs = path.resolve(dir);
  await mkdir(abs, { recursive: true, mode: 0o700 });
  const swept = await sweepStaleTempFiles(abs);
  if (swept > 0)
    console.warn(
      `flywheel: removed ${swept} temp file${swept === 1 ? '' : 's'} left in ${abs} by writes a crash interrupted`,
    );
  return {
    dir: abs,
    dbFile: path.join(abs, DB_FILE),
    blobsDir: path.join(abs, 'blobs'),
    adminKeyFile: path.join(abs, 'admin.key'),
  };
}

/**
 * Writes a secret (an API key) with mode 0600, atomically, so a crash never leaves a truncated key
 * that would lock the owner out. Refuses, with FlywheelError('bad_input'), to replace an existing
 * file unless `overwrite` is set: a second start must not silently rotate the admin key. The check
 * and the write are one step (a hard link), so two processes starting at once cannot both win.
 */
export async function writeSecretFile(
  file: string,
  text: string,
  options: { overwrite?: boolean } = {},
): Promise<void> {
  try {
    await writeFileAtomic(file, text, { mode: 0o600, overwrite: options.overwrite ?? false });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new FlywheelError('bad_input', `${file} already exists; refusing to overwrite a secret`, [
        { path: file, message: 'already exists' },
      ]);
    }
    throw e;
  }
}
