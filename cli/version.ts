/** The CLI's versions: the package's, and the training code's (see build/code-version.ts). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { computeCodeVersion } from '../build/code-version';

const repoRoot = path.join(import.meta.dirname, '..');

export const PACKAGE_VERSION = (
  JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }
).version;

let codeVersion: string | undefined;

/** The training code's version, hashed once per process on first use. */
export function trainingCodeVersion(): string {
  codeVersion ??= computeCodeVersion(repoRoot);
  return codeVersion;
}
