/** The heap in use after a full collection, for tests that check a flood leaves no memory behind. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
/** `gc` from a fresh context: the flag set above exposes it there even though this process started without it. */
const gc = runInNewContext('gc') as () => void;

/** Bytes of heap in use after collecting twice (the second pass frees what the first only finalised). */
export async function heapAfterGc(): Promise<number> {
  for (let i = 0; i < 2; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}
