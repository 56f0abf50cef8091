/**
 * The page's handle on the notebook kernel. Interrupting terminates the worker (the only way to stop
 * a synchronous infinite loop) and starts a fresh one: the running cell ends with an "interrupted"
 * error, and the kernel's state is gone, as after a restart.
 */
import './errors';
import * as Comlink from 'comlink';
import type { CellResult, KernelApi, MimeBundle } from './protocol';

export type KernelStatus = 'idle' | 'busy' | 'restarting';

export interface KernelClient {
  run(code: string, onOutput?: (output: MimeBundle) => void): Promise<CellResult>;
  interrupt(): void;
  restart(): void;
  names(): Promise<string[]>;
  readonly status: KernelStatus;
  onStatus(listener: (status: KernelStatus) => void): () => void;
  dispose(): void;
}

export function createKernelClient(
  makeWorker: () => Worker = () =>
    new Worker(new URL('./kernel.worker.ts', import.meta.url), { type: 'module', name: 'flywheel-kernel' }),
): KernelClient {
  let worker: Worker;
  let remote: Comlink.Remote<KernelApi>;
  let status: KernelStatus = 'idle';
  let pending: { resolve: (r: CellResult) => void; started: number } | null = null;
  const listeners = new Set<(s: KernelStatus) => void>();
  let queue: Promise<unknown> = Promise.resolve();

  const setStatus = (s: KernelStatus) => {
    status = s;
    for (const l of listeners) l(s);
  };

  function start(): void {
    worker = makeWorker();
    remote = Comlink.wrap<KernelApi>(worker);
    worker.addEventListener('error', (e) => {
      e.preventDefault();
      end(`the kernel crashed and was restarted: ${e.message || 'unknown error'}`, 'KernelCrash');
    });
  }

  function end(message: string, name: string): void {
    worker.terminate();
    if (pending) {
      const error: MimeBundle = {
        'application/vnd.flywheel.error+json': { name, message },
        'text/plain': `${name}: ${message}`,
      };
      pending.resolve({ status: 'error', outputs: [error], durationMs: performance.now() - pending.started });
      pending = null;
    }
    setStatus('restarting');
    start();
    setStatus('idle');
  }

  start();
  return {
    run(code, onOutput = () => {}) {
      // Cells run one at a time, in the order they were asked for.
      const result = queue.then(
        () =>
          new Promise<CellResult>((resolve) => {
            pending = { resolve, started: performance.now() };
            setStatus('busy');
            remote.run(code, Comlink.proxy(onOutput)).then(
              (r) => {
                if (pending?.resolve === resolve) {
                  pending = null;
                  setStatus('idle');
                  resolve(r);
                }
              },
              () => {},
            );
          }),
      );
      queue = result;
      return result;
    },
    interrupt: () => end('the kernel was restarted and its variables are gone', 'Interrupted'),
    restart: () => end('the kernel was restarted', 'Restarted'),
    names: () => remote.names(),
    get status() {
      return status;
    },
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose: () => worker.terminate(),
  };
}
