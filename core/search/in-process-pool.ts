/**
 * The simplest pool: runs trial tasks one at a time on this thread's tfjs backend. Tests, the edge's
 * tooling and any runtime without workers use it; Node (cli/trial-pool.ts) and the browser
 * (workers/trial-pool.ts) run the same `runTrialTask` in parallel workers.
 */
import { FlywheelError } from '../errors';
import { runTrialTask } from './run-trial';
import type { SearchData, TrialPool, TrialResult, TrialTask } from './types';

export function inProcessPool(): TrialPool {
  let data: SearchData | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  return {
    size: 1,
    load(d) {
      data = d;
      return Promise.resolve();
    },
    run(task: TrialTask, signal?: AbortSignal): Promise<TrialResult> {
      const loaded = data;
      if (!loaded) return Promise.reject(new FlywheelError('bad_input', 'the trial pool has no data: call load first'));
      const next = queue.then(() => runTrialTask(loaded, task, signal));
      queue = next.catch(() => undefined);
      return next;
    },
  };
}
