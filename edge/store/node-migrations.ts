/** Migrations from a folder on disk, for the Node runtime (a Worker gets them bundled instead). */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { FlywheelError } from '../../core/errors';
import type { Migration } from './migrate';

/**
 * Reads every `*.sql` file of `dir` as a migration named by its file name, sorted by name. Other
 * files (a README, editor backups) are ignored; a missing folder is an error rather than an empty
 * list, because starting on an unmigrated database would fail later and less clearly.
 */
export async function readMigrations(dir: string): Promise<Migration[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new FlywheelError('not_found', `migrations folder ${dir} does not exist`, [
        { path: dir, message: 'not found' },
      ]);
    throw e;
  }
  const files = names.filter((f) => f.endsWith('.sql')).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return Promise.all(files.map(async (name) => ({ name, sql: await readFile(path.join(dir, name), 'utf8') })));
}
