/** The Node abilities the core's data sources need: the file system, the shipped samples, fetch. */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { SourceIO } from '../core/data/sources';

const require = createRequire(import.meta.url);
// vega-datasets exports only its JS entry (build/index.js); the data folder sits beside build/.
const samplesDir = path.join(path.dirname(require.resolve('vega-datasets')), '..', 'data');

export const nodeSourceIO: SourceIO = {
  readFile: async (file) => new Uint8Array(await readFile(file)),
  readSample: async (file) => new Uint8Array(await readFile(path.join(samplesDir, file))),
  fetch: (url) => fetch(url),
};
