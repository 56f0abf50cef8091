/** The pipeline's step cache as files in the data folder, written atomically and durably. */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { StepCache } from '../core/pipeline';
import { writeFileAtomic } from '../edge/store/atomic-write';

export function fileCache(dir: string): StepCache {
  return {
    get: (key) => readFile(path.join(dir, `${key}.json`), 'utf8').catch(() => undefined),
    async set(key, value) {
      await mkdir(dir, { recursive: true });
      await writeFileAtomic(path.join(dir, `${key}.json`), value);
    },
  };
}
