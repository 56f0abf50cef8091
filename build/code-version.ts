/**
 * The version of the code that trains, for the train step's cache key and every bundle's lineage:
 * the package version plus a hash of the training sources (everything under `core/` but tests). It is
 * computed here once, from the files themselves, so editing `core/model/*` changes it: the CLI calls
 * this at start-up and Vite injects the same value into the browser's workers at build time.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** The folders whose sources decide what a trained model is. */
const TRAINING_SOURCES = ['core'];
const SOURCE = /\.ts$/;
const NOT_SOURCE = /\.(test|contract|bench)\.ts$/;

/** `0.1.0+<12 hex digits>` for the repository (or copy of it) at `root`. */
export function computeCodeVersion(root: string): string {
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  const hash = createHash('sha256');
  for (const file of TRAINING_SOURCES.flatMap((dir) => sourcesUnder(root, dir)).sort()) {
    // Name and content, each closed by a NUL, so a rename or a byte moved across files changes the hash.
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(path.join(root, file)))
      .update('\0');
  }
  return `${version}+${hash.digest('hex').slice(0, 12)}`;
}

function sourcesUnder(root: string, dir: string): string[] {
  return readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && SOURCE.test(e.name) && !NOT_SOURCE.test(e.name))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
}
