/**
 * The browser's trial pool, sized by its caller: as many workers as asked, as many tasks at once as
 * workers, and a size outside 1…MAX_TRIAL_WORKERS refused before any worker starts. The workers are
 * stand-ins on MessageChannels speaking the real TrialWorkerApi through comlink; each task waits on
 * a gate the test opens, so "at once" is counted, not timed. The real workers run in tests/e2e/search.spec.ts.
 */
import * as Comlink from 'comlink';
import { describe, expect, it, vi } from 'vitest';
import { isFlywheelError } from '../core/errors';
import { DEFAULT_CANDIDATES } from '../core/search/space';
import type { SearchData, TrialTask } from '../core/search/types';
import type { TrialWorkerApi } from './protocol';
import { createTrialPool, MAX_TRIAL_WORKERS, trialPoolSize } from './trial-pool';

const data: SearchData = {
  head: { task: 'classification', labels: ['a', 'b'] },
  inputDim: 1,
  x: new Float32Array([0, 1, 2, 3]),
  y: new Int32Array([0, 1, 0, 1]),
  rows: 4,
  folds: 2,
  foldOf: new Uint8Array([0, 1, 0, 1]),
};

const task = (trial: number): TrialTask => ({
  trial,
  fold: 0,
  config: { ...DEFAULT_CANDIDATES[0], batchSize: 2 },
  epochs: 1,
  patience: 1,
  seed: 1,
});

/** Stand-in trial workers: count how many exist and how many tasks run at once; tasks wait for `open()`. */
function standIns() {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const state = { made: 0, running: 0, most: 0, open };
  const makeWorker = () => {
    state.made++;
    const { port1, port2 } = new MessageChannel();
    const api: TrialWorkerApi = {
      load: (_d, backend) => Promise.resolve(backend),
      async run(t) {
        state.running++;
        state.most = Math.max(state.most, state.running);
        await gate;
        state.running--;
        return {
          trial: t.trial,
          fold: t.fold,
          score: 1,
          loss: 0,
          epochsRun: 1,
          bestEpoch: 0,
          ms: 1,
          samplesPerSec: 1000,
          backend: 'cpu',
        };
      },
    };
    Comlink.expose(api, port2);
    return Object.assign(port1, { terminate: () => port1.close() }) as unknown as Worker;
  };
  return { state, makeWorker };
}

describe('createTrialPool', () => {
  it.each([1, 2, 3])('with size %i starts that many workers and runs that many tasks at once', async (size) => {
    const { state, makeWorker } = standIns();
    const pool = createTrialPool({ backend: () => 'cpu', size, makeWorker });
    try {
      expect(pool.size).toBe(size);
      await pool.load(data);
      expect(state.made).toBe(size);
      const results = Promise.all(Array.from({ length: 5 }, (_, i) => pool.run(task(i))));
      await vi.waitFor(() => expect(state.running).toBe(size));
      expect(pool.busy).toBe(size);
      state.open();
      expect((await results).map((r) => r.trial)).toEqual([0, 1, 2, 3, 4]);
      expect(state.most).toBe(size);
      expect(state.made).toBe(size);
    } finally {
      pool.dispose();
    }
  });

  it.each([0, 1.5, MAX_TRIAL_WORKERS + 1, Number.NaN])('refuses a size of %s, naming trialWorkers', (size) => {
    const { state, makeWorker } = standIns();
    let error: unknown = null;
    try {
      createTrialPool({ backend: () => 'cpu', size, makeWorker });
    } catch (e) {
      error = e;
    }
    expect(isFlywheelError(error) && error.code).toBe('bad_input');
    expect(isFlywheelError(error) && error.details[0]?.path).toBe('trialWorkers');
    expect(state.made).toBe(0);
  });
});

describe('trialPoolSize', () => {
  it('gives one worker per logical core, at least one, at most MAX_TRIAL_WORKERS', () => {
    expect(trialPoolSize(undefined)).toBe(1);
    expect(trialPoolSize(2)).toBe(2);
    expect(trialPoolSize(64)).toBe(MAX_TRIAL_WORKERS);
  });
});
