#!/usr/bin/env node
// The published entry point: runs the built CLI (dist/cli/main.js, from build/bundle-cli.ts) when it
// is up to date; otherwise registers tsx so the TypeScript sources run as they are (Node 20 has no
// type stripping), as in a checkout being edited. FLYWHEEL_CLI=source forces the sources.
import path from 'node:path';
import { builtEntry } from './built-entry.js';

const built = process.env.FLYWHEEL_CLI === 'source' ? null : builtEntry(path.join(import.meta.dirname, '..'));
let main;
if (built) {
  ({ main } = await import(built));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('./main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
