/**
 * The pipeline worker: runs pipeline specs from core/pipeline off the main thread, on the tfjs
 * backend chosen by measuring (or forced), reports progress through a comlink proxy callback, and
 * profiles datasets. Exposed with comlink; see PipelineWorkerApi in protocol.ts.
 */
import './errors';
import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs-core';
import { EdgeClient } from '../core/api/client';
import { runRetrainJob } from '../core/automation/runner';
import { loadSource } from '../core/data/sources';
import { FlywheelError } from '../core/errors';
import { inferSchema, profileTable } from '../core/features';
import { measureTrainingSpeed } from '../core/model/measure';
import { memoryCache, parsePipelineSpec, runPipeline, type PipelineContext } from '../core/pipeline';
import { backendDetail, probeBackends, readyBackend, useBackend } from './backend';
import {
  BACKENDS,
  type BackendChoice,
  type BackendName,
  type DataInput,
  type PipelineWorkerApi,
  type ProfileOutcome,
  type RunOutcome,
  type RunRequest,
  type WorkerRunEvent,
} from './protocol';
import { browserSourceIO } from './source-io';
import { createTrialPool, type WebTrialPool } from './trial-pool';

const running = new Map<string, AbortController>();
const cache = memoryCache();
/** Autopilot runners with a job in progress, so switching one off can stop its job. */
const autopilots = new Map<string, AbortController>();
/** The model-search trial pools of the runs in progress (one each, disposed when its run ends). */
const pools = new Set<WebTrialPool>();

/**
 * A trial pool for one run, of `size` workers (default: one per core): its workers train on the
 * backend the run chose (read when the search starts, after the backend was measured), and all of
 * them are terminated when `use` settles.
 */
async function withTrialPool<T>(use: (pool: WebTrialPool) => Promise<T>, size?: number): Promise<T> {
  const pool = createTrialPool({ backend: () => tf.getBackend() as BackendName, size });
  pools.add(pool);
  try {
    return await use(pool);
  } finally {
    pool.dispose();
    pools.delete(pool);
  }
}

async function run(request: RunRequest, onEvent: (event: WorkerRunEvent) => void): Promise<RunOutcome> {
  const spec = parsePipelineSpec(request.spec);
  const controller = new AbortController();
  running.set(request.runId, controller);
  const files = new Map((request.files ?? []).map((f) => [f.name, f.bytes]));
  const wanted = request.backend !== 'auto' ? request.backend : spec.train.backend;
  try {
    if (wanted !== 'auto') await useBackend(wanted);
    else await readyBackend();
    const tensorsBefore = tf.memory().numTensors;
    const result = await withTrialPool(
      (trialPool) =>
        runPipeline(spec, {
          io: browserSourceIO(files),
          cache,
          codeVersion: __FLYWHEEL_CODE_VERSION__,
          backend: tf.getBackend(),
          champion: request.champion ?? null,
          signal: controller.signal,
          onEvent,
          selectBackend: backendSelector(wanted, onEvent),
          trialPool,
        }),
      request.trialWorkers,
    );
    const bytes = result.bundle.bytes;
    const bundle = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const outcome: RunOutcome = {
      runId: request.runId,
      bundle,
      bundleId: result.bundle.id,
      name: result.spec.name,
      task: result.bundle.manifest.task,
      metrics: result.bundle.manifest.metrics,
      details: JSON.parse(JSON.stringify(result.metrics)),
      gates: result.gates,
      history: result.history,
      lineage: result.lineage,
      warnings: result.warnings,
      backend: tf.getBackend() as BackendName,
      tensorsBefore,
      tensorsAfter: tf.memory().numTensors,
    };
    return Comlink.transfer(outcome, [bundle]);
  } finally {
    running.delete(request.runId);
  }
}

/** Picks the training backend once the model and data are known: the forced one, or for `auto` the fastest measured. */
function backendSelector(
  wanted: BackendChoice,
  onEvent: (event: WorkerRunEvent) => void,
): NonNullable<PipelineContext['selectBackend']> {
  return async (probe) => {
    if (wanted !== 'auto') return { backend: wanted, detail: await backendDetail(wanted) };
    const measurements: Partial<Record<BackendName, number>> = {};
    for (const b of (await probeBackends()).filter((x) => x.available)) {
      await useBackend(b.name);
      measurements[b.name] = await measureTrainingSpeed(probe);
    }
    const [best] = Object.entries(measurements).sort((a, b) => b[1] - a[1]) as [BackendName, number][];
    await useBackend(best[0]);
    const reason = `fastest of ${Object.entries(measurements)
      .map(([k, v]) => `${k} ${Math.round(v)}`)
      .join(', ')} samples/s on this model`;
    onEvent({ type: 'backend', chosen: best[0], measurements, reason });
    return {
      backend: best[0],
      measurements: measurements as Record<string, number>,
      detail: await backendDetail(best[0]),
    };
  };
}

async function profile(data: DataInput): Promise<ProfileOutcome> {
  const files = new Map(data.kind === 'file' ? [[data.name, data.bytes]] : []);
  const { table, name } = await loadSource(data.kind === 'file' ? data.name : data.source, browserSourceIO(files));
  return { name, rows: table.rowCount, profile: profileTable(table), schema: inferSchema(table) };
}

const api: PipelineWorkerApi = {
  run,
  profile,
  async autopilot(request, onLog, onClaim) {
    const backend = await readyBackend();
    const client = new EdgeClient(request.edge, { key: request.key });
    const job = await client.claimJob(request.runner, request.models);
    if (!job) return null;
    onClaim?.(job.id, job.model);
    const controller = new AbortController();
    autopilots.set(request.runner, controller);
    try {
      const forced = (job.payload.spec as { train?: { backend?: unknown } } | null)?.train?.backend;
      const wanted: BackendChoice = (BACKENDS as readonly unknown[]).includes(forced)
        ? (forced as BackendName)
        : 'auto';
      return await withTrialPool((trialPool) =>
        runRetrainJob(job, {
          client,
          runner: request.runner,
          models: request.models,
          io: browserSourceIO(),
          backend,
          codeVersion: __FLYWHEEL_CODE_VERSION__,
          log: onLog,
          signal: controller.signal,
          selectBackend: backendSelector(wanted, () => {}),
          trialPool,
        }),
      );
    } finally {
      autopilots.delete(request.runner);
    }
  },
  async stopAutopilot(runner) {
    autopilots.get(runner)?.abort(new FlywheelError('cancelled', 'the Autopilot was switched off'));
  },
  async cancel(runId) {
    const c = running.get(runId);
    if (!c) throw new FlywheelError('not_found', `no run ${runId} is in progress`);
    c.abort(new FlywheelError('cancelled', 'the run was cancelled'));
  },
  async trialWorkers() {
    return {
      workers: [...pools].reduce((n, p) => n + p.started, 0),
      busy: [...pools].reduce((n, p) => n + p.busy, 0),
    };
  },
  backends: () => probeBackends(),
  async memory() {
    await readyBackend();
    const m = tf.memory();
    return { numTensors: m.numTensors, numBytes: m.numBytes, backend: tf.getBackend() };
  },
};

Comlink.expose(api);
