/** The pipeline's step cache as files in the data folder, written atomically (temp file, rename). */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { StepCache } from '../core/pipeline';

export function fileCache(dir: string): StepCache {
  return {
    get: (key) => readFile(path.join(dir, `${key}.json`), 'utf8').catch(() => undefined),
    async set(key, value) {
      await mkdir(dir, { recursive: true });
      const tmp = path.join(dir, `.${key}.${process.pid}.tmp`);
      await writeFile(tmp, value);
      await rename(tmp, path.join(dir, `${key}.json`));
    },
  };
}
