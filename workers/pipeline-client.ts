/**
 * The page's handle on the pipeline worker: starts it, wraps it with comlink, and when the worker
 * dies (a crash, out of memory) rejects what was in flight with a clear error and starts a fresh one,
 * so nothing is left hanging.
 */
import './errors';
import * as Comlink from 'comlink';
import { FlywheelError } from '../core/errors';
import type {
  AutopilotOutcome,
  AutopilotRequest,
  BackendInfo,
  DataInput,
  PipelineWorkerApi,
  ProfileOutcome,
  RunOutcome,
  RunRequest,
  TrialWorkersInfo,
  WorkerRunEvent,
} from './protocol';

export interface PipelineClient {
  run(request: RunRequest, onEvent: (event: WorkerRunEvent) => void): Promise<RunOutcome>;
  profile(data: DataInput): Promise<ProfileOutcome>;
  cancel(runId: string): Promise<void>;
  backends(): Promise<BackendInfo[]>;
  autopilot(
    request: AutopilotRequest,
    onLog: (line: string) => void,
    onClaim?: (job: string, model: string) => void,
  ): Promise<AutopilotOutcome | null>;
  stopAutopilot(runner: string): Promise<void>;
  memory(): Promise<{ numTensors: number; numBytes: number; backend: string }>;
  /** The model-search trial workers alive and the tasks they run (none once every run ended). */
  trialWorkers(): Promise<TrialWorkersInfo>;
  /** Called with a message whenever the worker died and was restarted. */
  onCrash(listener: (message: string) => void): () => void;
  dispose(): void;
}

export function createPipelineClient(
  makeWorker: () => Worker = () =>
    new Worker(new URL('./pipeline.worker.ts', import.meta.url), { type: 'module', name: 'flywheel-pipeline' }),
): PipelineClient {
  let worker: Worker;
  let remote: Comlink.Remote<PipelineWorkerApi>;
  const inflight = new Set<(e: Error) => void>();
  const listeners = new Set<(message: string) => void>();

  function start(): void {
    worker = makeWorker();
    remote = Comlink.wrap<PipelineWorkerApi>(worker);
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      crashed(event.message || 'the worker stopped (crash or out of memory)');
    });
  }

  function crashed(message: string): void {
    worker.terminate();
    const error = new FlywheelError('internal', `the pipeline worker crashed and was restarted: ${message}`);
    for (const reject of inflight) reject(error);
    inflight.clear();
    start();
    for (const l of listeners) l(message);
  }

  /** Races a call against the worker dying, so a crash rejects instead of hanging forever. */
  function guarded<T>(call: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      inflight.add(reject);
      call()
        .then(resolve, reject)
        .finally(() => inflight.delete(reject));
    });
  }

  start();
  return {
    run: (request, onEvent) => guarded(() => remote.run(request, Comlink.proxy(onEvent))),
    profile: (data) =>
      guarded(() => remote.profile(data.kind === 'file' ? Comlink.transfer(data, [data.bytes]) : data)),
    cancel: (runId) => remote.cancel(runId),
    backends: () => guarded(() => remote.backends()),
    autopilot: (request, onLog, onClaim) =>
      guarded(
        () =>
          remote.autopilot(
            request,
            Comlink.proxy(onLog),
            onClaim ? Comlink.proxy(onClaim) : undefined,
          ) as Promise<AutopilotOutcome | null>,
      ),
    stopAutopilot: (runner) => remote.stopAutopilot(runner),
    memory: () => guarded(() => remote.memory()),
    trialWorkers: () => guarded(() => remote.trialWorkers()),
    onCrash(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      worker.terminate();
    },
  };
}
