/**
 * The model search's trial pool for Node: `size` worker threads, each with its own tfjs (WASM by
 * default, as the CLI trains) running core/search's `runTrialTask`, so trials on several cores run at
 * once and score exactly as they do in `inProcessPool` on the same backend.
 *
 * The threads start on `start()` or the first `load` (a pool that never searches costs nothing); the search data
 * is copied once into shared memory that every thread reads. Aborting a task's signal sends its thread
 * `cancel`, which stops the task before its next batch; its promise then rejects with the thread's
 * `cancelled` error. Errors keep their Flywheel code and details across the thread boundary. A thread
 * that dies rejects its task with an error that says so; the others go on. Idle threads do not keep
 * the process alive; `close()` ends them.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { FlywheelError } from '../core/errors';
import type { SearchData, TrialPool, TrialResult, TrialTask } from '../core/search/types';
import type { NodeBackend } from './tfjs-node';
import { deserializeError, type ThreadReply, type ThreadRequest } from './trial-protocol';

/**
 * The built CLI's banner (build/bundle-cli.ts) sets this to the URL of the built file, whose folder
 * holds the built thread program; running from sources it is not defined.
 */
declare const __flywheelBuiltUrl: string | undefined;

/** The thread program: the built one next to the built CLI, else the sources through tsx. */
export function trialThreadEntry(): URL {
  return typeof __flywheelBuiltUrl === 'string'
    ? new URL('./trial-thread.js', __flywheelBuiltUrl)
    : new URL('./trial-thread-source.js', import.meta.url);
}

export interface NodeTrialPool extends TrialPool {
  /**
   * Starts the threads (each loads tfjs, 1–2 s) before the search needs them, e.g. while the data
   * loads, so the search's budget is not spent on that; `load` starts them otherwise.
   */
  start(): void;
  /** Ends the threads; tasks still running or waiting reject with `cancelled`. */
  close(): Promise<void>;
}

interface Job {
  id: number;
  task: TrialTask;
  signal?: AbortSignal;
  onAbort: () => void;
  resolve: (r: TrialResult) => void;
  reject: (e: unknown) => void;
}

interface Thread {
  index: number;
  worker: Worker;
  job: Job | null;
  /** Why it stopped, once it has. */
  dead: Error | null;
  /** The data it holds is the pool's current data. */
  loaded: boolean;
  onLoaded: ((error?: Error) => void) | null;
}

/** A copy of `a` in shared memory: every thread reads the same bytes, nothing is copied per thread. */
function shared<T extends Float32Array | Float64Array | Int32Array | Uint8Array>(a: T): T {
  const Ctor = a.constructor as new (buffer: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  (out as Uint8Array).set(a as Uint8Array);
  return out;
}

function cancelled(task: TrialTask, why: string): FlywheelError {
  return new FlywheelError('cancelled', `trial ${task.trial} fold ${task.fold} cancelled: ${why}`);
}

/**
 * A pool of `size` threads (default: one per core the process may use) training on `backend`.
 * Call `close()` when done with it.
 */
export function nodeTrialPool(size: number = os.availableParallelism(), backend: NodeBackend = 'wasm'): NodeTrialPool {
  if (!Number.isInteger(size) || size < 1)
    throw new FlywheelError('bad_input', `a trial pool needs a whole number of threads ≥ 1, got ${size}`);
  const threads: Thread[] = [];
  const queue: Job[] = [];
  let data: SearchData | null = null;
  let nextId = 0;
  let closed = false;

  const live = () => threads.filter((t) => !t.dead);

  function settle(job: Job): void {
    job.signal?.removeEventListener('abort', job.onAbort);
  }

  function dispatch(): void {
    for (const thread of threads) {
      if (queue.length === 0) return;
      if (thread.dead || thread.job || !thread.loaded) continue;
      const job = queue.shift()!;
      thread.job = job;
      // A busy thread keeps the process alive until its task settles; an idle one does not.
      thread.worker.ref();
      thread.worker.postMessage({ type: 'run', id: job.id, task: job.task } satisfies ThreadRequest);
    }
    if (queue.length > 0 && live().length === 0) {
      const error = new FlywheelError('internal', 'every trial thread has stopped: see the errors before this one');
      for (const job of queue.splice(0)) {
        settle(job);
        job.reject(error);
      }
    }
  }

  function onReply(thread: Thread, m: ThreadReply): void {
    if (m.type === 'loaded') {
      const done = thread.onLoaded;
      thread.onLoaded = null;
      if (!m.error) thread.loaded = true;
      done?.(m.error ? deserializeError(m.error) : undefined);
      dispatch();
      return;
    }
    const job = thread.job;
    if (!job || job.id !== m.id) return;
    thread.job = null;
    thread.worker.unref();
    settle(job);
    if (m.error) job.reject(deserializeError(m.error));
    else job.resolve(m.result);
    dispatch();
  }

  function onDeath(thread: Thread, error: Error): void {
    if (thread.dead) return;
    thread.dead = error;
    const job = thread.job;
    thread.job = null;
    if (job) {
      settle(job);
      job.reject(
        closed
          ? cancelled(job.task, 'the trial pool was closed')
          : new FlywheelError(
              'internal',
              `trial thread ${thread.index} stopped while training trial ${job.task.trial} fold ${job.task.fold}: ${error.message}`,
            ),
      );
    }
    thread.onLoaded?.(new FlywheelError('internal', `trial thread ${thread.index} stopped: ${error.message}`));
    thread.onLoaded = null;
    dispatch();
  }

  function start(index: number): Thread {
    const worker = new Worker(trialThreadEntry(), { workerData: { backend } });
    const thread: Thread = { index, worker, job: null, dead: null, loaded: false, onLoaded: null };
    worker.on('message', (m: ThreadReply) => onReply(thread, m));
    worker.on('error', (e) => onDeath(thread, e));
    worker.on('messageerror', (e) => onDeath(thread, e));
    worker.on('exit', (code) => onDeath(thread, new Error(`it exited with code ${code}`)));
    worker.unref();
    return thread;
  }

  function loadInto(thread: Thread, d: SearchData): Promise<void> {
    thread.loaded = false;
    return new Promise<void>((resolve, reject) => {
      thread.onLoaded = (error) => (error ? reject(error) : resolve());
      // Loading holds the process open until the thread has its backend and data.
      thread.worker.ref();
      thread.worker.postMessage({ type: 'load', data: d } satisfies ThreadRequest);
    }).finally(() => {
      if (!thread.job && !thread.dead) thread.worker.unref();
    });
  }

  function startAll(): void {
    if (!closed) while (threads.length < size) threads.push(start(threads.length));
  }

  return {
    size,
    start: startAll,
    async load(d) {
      if (closed) throw new FlywheelError('bad_input', 'the trial pool is closed');
      startAll();
      data = { ...d, x: shared(d.x), y: shared(d.y), foldOf: shared(d.foldOf) };
      const loads = await Promise.allSettled(live().map((t) => loadInto(t, data!)));
      if (!threads.some((t) => t.loaded)) {
        const failed = loads.find((l): l is PromiseRejectedResult => l.status === 'rejected');
        throw failed?.reason ?? new FlywheelError('internal', 'no trial thread could start');
      }
    },
    run(task, signal) {
      if (closed) return Promise.reject(cancelled(task, 'the trial pool was closed'));
      if (!data) return Promise.reject(new FlywheelError('bad_input', 'the trial pool has no data: call load first'));
      if (signal?.aborted) return Promise.reject(cancelled(task, 'its signal was aborted before it started'));
      return new Promise<TrialResult>((resolve, reject) => {
        const job: Job = {
          id: nextId++,
          task,
          signal,
          resolve,
          reject,
          onAbort: () => {
            const waiting = queue.indexOf(job);
            if (waiting >= 0) {
              queue.splice(waiting, 1);
              settle(job);
              reject(cancelled(task, 'its signal was aborted before it started'));
              return;
            }
            // Running: the thread stops it before its next batch and answers with `cancelled`.
            const thread = threads.find((t) => t.job === job);
            thread?.worker.postMessage({ type: 'cancel', id: job.id } satisfies ThreadRequest);
          },
        };
        signal?.addEventListener('abort', job.onAbort, { once: true });
        queue.push(job);
        dispatch();
      });
    },
    async close() {
      closed = true;
      for (const job of queue.splice(0)) {
        settle(job);
        job.reject(cancelled(job.task, 'the trial pool was closed'));
      }
      await Promise.all(threads.map((t) => t.worker.terminate()));
    },
  };
}
