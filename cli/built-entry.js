// Which CLI to run: the build in dist/cli (build/bundle-cli.ts) while it is as new as every source it
// was built from, else none (bin.js then runs the TypeScript through tsx). Plain JavaScript, so that
// deciding costs no compiler: one small JSON read and a stat per bundled source (a few milliseconds).
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The file URL of `outDir/main.js` when the build there is up to date with the sources under `root`, else null. */
export function builtEntry(root, outDir = path.join(root, 'dist', 'cli')) {
  let record;
  try {
    record = JSON.parse(readFileSync(path.join(outDir, 'inputs.json'), 'utf8'));
    statSync(path.join(outDir, 'main.js'));
  } catch {
    return null;
  }
  for (const input of record.inputs) {
    let mtime;
    try {
      mtime = statSync(path.join(root, input)).mtimeMs;
    } catch {
      return null;
    }
    if (mtime > record.builtAt) return null;
  }
  return pathToFileURL(path.join(outDir, 'main.js')).href;
}
