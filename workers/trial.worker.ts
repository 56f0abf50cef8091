/**
 * A model-search trial worker: holds the search's data (sent once per search) and runs trial tasks
 * with core/search's `runTrialTask` on the backend its pipeline worker chose. The pool in
 * trial-pool.ts starts several, one per core, and terminates one to stop its task; exposed with
 * comlink (TrialWorkerApi in protocol.ts).
 */
import './errors';
import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs-core';
import { FlywheelError } from '../core/errors';
import { runTrialTask } from '../core/search/run-trial';
import type { SearchData } from '../core/search/types';
import { readyBackend, singleThreadWasm } from './backend';
import type { BackendName, TrialWorkerApi } from './protocol';

// Each trial worker trains on one core; the pool runs one worker per core.
singleThreadWasm('a trial worker: the pool runs one per core');

let data: SearchData | null = null;

/** Starts `wanted` alone (probing every backend costs each worker seconds); falls back to the first that starts. */
async function startBackend(wanted: BackendName): Promise<BackendName> {
  if (tf.engine().backendName === wanted) return wanted;
  try {
    if (await tf.setBackend(wanted)) {
      await tf.ready();
      return wanted;
    }
  } catch {
    // Not available in this worker: the fallback below says which one trains instead (the leaderboard shows it).
  }
  return readyBackend();
}

const api: TrialWorkerApi = {
  async load(d, backend) {
    const used = await startBackend(backend);
    data = d;
    return used;
  },
  async run(task) {
    if (!data) throw new FlywheelError('bad_input', 'this trial worker has no data: the pool must call load first');
    // No signal: the pool stops an aborted task by terminating this worker (see trial-pool.ts).
    return runTrialTask(data, task);
  },
};

Comlink.expose(api);
