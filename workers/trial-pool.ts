/**
 * The browser's model-search trial pool: web workers sized to the machine (one per logical core,
 * at most MAX_TRIAL_WORKERS), each running core/search's `runTrialTask` on the backend the pipeline
 * worker chose by measurement. The pipeline worker makes one pool per run and disposes it when the
 * run ends; workers start when the search loads its data, so a run with a fixed model starts none.
 * A worker that dies fails its task with a clear error and is replaced by a fresh one on the next task.
 *
 * Aborting a task (the user's cancel, the search's budget) terminates its worker at once rather than
 * asking it to stop: a worker busy training reads its messages only between tasks (Chromium runs the
 * training loop's `scheduler.yield` continuations ahead of them), so an abort message would wait for
 * the task to end. The next task on that lane starts a fresh worker, which loads the data again.
 */
import './errors';
import * as Comlink from 'comlink';
import { FlywheelError } from '../core/errors';
import type { SearchData, TrialPool, TrialResult, TrialTask } from '../core/search/types';
import type { BackendName, TrialWorkerApi } from './protocol';

/**
 * Most trial workers in one pool: the search's rungs are 27, 9 and 3 candidates (times the folds),
 * and past eight workers each tfjs instance's memory costs more than the parallelism brings.
 */
export const MAX_TRIAL_WORKERS = 8;

/** Workers for a machine with `cores` logical cores: one per core, at least one, at most MAX_TRIAL_WORKERS. */
export function trialPoolSize(cores: number | undefined): number {
  const n = Math.floor(cores ?? 1);
  return Math.max(1, Math.min(MAX_TRIAL_WORKERS, Number.isFinite(n) ? n : 1));
}

/** A pool size a caller asked for (a run's `trialWorkers`), checked: a whole number from 1 to MAX_TRIAL_WORKERS. */
function requestedSize(size: number): number {
  if (Number.isInteger(size) && size >= 1 && size <= MAX_TRIAL_WORKERS) return size;
  const message = `a whole number of trial workers from 1 to ${MAX_TRIAL_WORKERS}, got ${String(size)}`;
  throw new FlywheelError('bad_input', `the model search needs ${message}`, [{ path: 'trialWorkers', message }]);
}

export interface WebTrialPool extends TrialPool {
  /** Workers started and not terminated. */
  readonly started: number;
  /** Tasks in flight now (sent to a worker and not settled). */
  readonly busy: number;
  /** Terminates every worker; tasks in flight reject with a `cancelled` error. */
  dispose(): void;
}

export interface TrialPoolOptions {
  /** The backend the trials train on, read when the search loads its data (after the run chose it). */
  backend: () => BackendName;
  /** Workers, 1 to MAX_TRIAL_WORKERS (default: `trialPoolSize` of this machine); anything else is a `bad_input`. */
  size?: number;
  makeWorker?: (index: number) => Worker;
}

interface Slot {
  worker: Worker;
  remote: Comlink.Remote<TrialWorkerApi>;
  /** Resolves once the worker holds the current data on its backend. */
  loaded: Promise<BackendName> | null;
  /** Rejects the call in flight when the worker dies or the pool is disposed. */
  fail: ((e: Error) => void) | null;
}

function cancelled(signal?: AbortSignal): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof FlywheelError ? reason : new FlywheelError('cancelled', 'the trial was cancelled');
}

export function createTrialPool(o: TrialPoolOptions): WebTrialPool {
  const size = o.size === undefined ? trialPoolSize(navigator.hardwareConcurrency) : requestedSize(o.size);
  const make =
    o.makeWorker ??
    ((i: number) =>
      new Worker(new URL('./trial.worker.ts', import.meta.url), { type: 'module', name: `flywheel-trial-${i + 1}` }));
  const slots: (Slot | null)[] = Array.from({ length: size }, () => null);
  /** Which slots run a task now (a slot's worker may be replaced, its lane stays taken). */
  const taken: boolean[] = Array.from({ length: size }, () => false);
  const waiting: (() => void)[] = [];
  let data: SearchData | null = null;
  let backend: BackendName | null = null;
  let disposed = false;

  function slot(i: number): Slot {
    const existing = slots[i];
    if (existing) return existing;
    const worker = make(i);
    const s: Slot = { worker, remote: Comlink.wrap<TrialWorkerApi>(worker), loaded: null, fail: null };
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      kill(
        i,
        s,
        new FlywheelError(
          'internal',
          `a model-search trial worker stopped (crash or out of memory): ${event.message || 'no message'}`,
        ),
      );
    });
    slots[i] = s;
    return s;
  }

  /** Terminates lane `i`'s worker `s` (if still its worker) and fails its call in flight with `error`. */
  function kill(i: number, s: Slot, error: Error): void {
    if (slots[i] !== s) return;
    s.worker.terminate();
    slots[i] = null;
    s.fail?.(error);
  }

  /** `call`, rejected as soon as the slot's worker dies or the pool is disposed. */
  function guarded<T>(s: Slot, call: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      s.fail = reject;
      call()
        .then(resolve, reject)
        .finally(() => {
          if (s.fail === reject) s.fail = null;
        });
    });
  }

  function loadInto(s: Slot): Promise<BackendName> {
    s.loaded ??= s.remote.load(data!, backend!);
    return s.loaded;
  }

  async function acquire(): Promise<number> {
    for (;;) {
      const i = taken.indexOf(false);
      if (i >= 0) {
        taken[i] = true;
        return i;
      }
      await new Promise<void>((r) => waiting.push(r));
    }
  }

  function release(i: number): void {
    taken[i] = false;
    waiting.shift()?.();
  }

  return {
    size,
    get started() {
      return slots.filter(Boolean).length;
    },
    async load(d) {
      if (disposed) throw new FlywheelError('cancelled', 'the trial pool was disposed');
      data = d;
      backend = o.backend();
      await Promise.all(
        Array.from({ length: size }, (_, i) => {
          const s = slot(i);
          s.loaded = null;
          return guarded(s, () => loadInto(s));
        }),
      );
    },
    async run(task: TrialTask, signal?: AbortSignal): Promise<TrialResult> {
      if (!data) throw new FlywheelError('bad_input', 'the trial pool has no data: call load first');
      const i = await acquire();
      let s: Slot | null = null;
      const onAbort = () => {
        if (s) kill(i, s, cancelled(signal));
      };
      try {
        if (disposed || signal?.aborted) throw cancelled(signal);
        s = slot(i);
        const current = s;
        signal?.addEventListener('abort', onAbort, { once: true });
        return await guarded(current, async () => {
          await loadInto(current);
          if (signal?.aborted) throw cancelled(signal);
          return current.remote.run(task);
        });
      } finally {
        signal?.removeEventListener('abort', onAbort);
        release(i);
      }
    },
    get busy() {
      return taken.filter(Boolean).length;
    },
    dispose() {
      disposed = true;
      slots.forEach((s, i) => {
        if (s) kill(i, s, new FlywheelError('cancelled', 'the trial pool was disposed'));
      });
      for (const w of waiting.splice(0)) w();
    },
  };
}
