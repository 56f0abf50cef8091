/**
 * Where the package's own files are (the edge's migrations, the built web app), whether this code
 * runs from its TypeScript sources or bundled into another folder (build/bundle-node.ts): the
 * nearest folder, from this module's own upward, that holds the file.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FlywheelError } from '../../core/errors';

/** The absolute path of `relative` (say `edge/migrations`) in the package this module belongs to. */
export function packageFile(relative: string, from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, relative);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) {
      throw new FlywheelError('not_found', `${relative} is not in any folder above ${from}: is the package complete?`, [
        { path: relative, message: 'not found' },
      ]);
    }
  }
}
