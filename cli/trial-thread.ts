/**
 * One thread of the Node trial pool (cli/trial-pool.ts): starts tfjs on the backend the pool names,
 * keeps the search data it is sent, runs one `runTrialTask` at a time, and aborts the running task
 * when the pool sends `cancel` (the task stops before its next batch once the message is heard:
 * training yields to the event loop every few batches for this). Run from sources it is started by
 * trial-thread-source.js (which registers tsx); the built CLI bundles it as dist/cli/trial-thread.js.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { FlywheelError } from '../core/errors';
import { runTrialTask } from '../core/search/run-trial';
import type { SearchData } from '../core/search/types';
import { useNodeBackend, type NodeBackend } from './tfjs-node';
import { serializeError, type ThreadReply, type ThreadRequest } from './trial-protocol';

const port = parentPort;
if (!port) throw new Error('cli/trial-thread.ts runs as a worker thread of the trial pool (cli/trial-pool.ts)');

const ready = useNodeBackend((workerData as { backend: NodeBackend }).backend);
let data: SearchData | null = null;
const running = new Map<number, AbortController>();

const reply = (m: ThreadReply) => port.postMessage(m);

port.on('message', (m: ThreadRequest) => {
  if (m.type === 'load') {
    data = m.data;
    ready.then(
      () => reply({ type: 'loaded' }),
      (e: unknown) => reply({ type: 'loaded', error: serializeError(e) }),
    );
  } else if (m.type === 'cancel') {
    running.get(m.id)?.abort();
  } else if (m.type === 'run') {
    const controller = new AbortController();
    running.set(m.id, controller);
    const loaded = data;
    ready
      .then(() => {
        if (!loaded) throw new FlywheelError('internal', 'the trial thread was sent a task before its data');
        return runTrialTask(loaded, m.task, controller.signal);
      })
      .then(
        (result) => reply({ type: 'result', id: m.id, result }),
        (e: unknown) => reply({ type: 'result', id: m.id, error: serializeError(e) }),
      )
      .finally(() => running.delete(m.id));
  }
});
