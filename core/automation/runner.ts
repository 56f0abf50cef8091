/**
 * A retrain runner, the same in Node (`flywheel agent`) and in the browser (the notebook's Autopilot):
 * claim a job, keep its lease with heartbeats, train the champion's pipeline again on the original
 * data plus the edge's labelled feedback, publish the bundle, and report. A failure is reported
 * with its reason, and the edge retries the job elsewhere until its attempts run out.
 */
import Papa from 'papaparse';
import type { EdgeClient } from '../api/client';
import type { RetrainJob } from '../api/contract';
import { unescapeFormulaCell } from '../data/csv-formula';
import { loadSource, type SourceIO } from '../data/sources';
import { toRows } from '../data/table';
import { errorMessage } from '../errors';
import { parseDuration } from './duration';
import { runPipeline, type PipelineContext, type RunEvent } from '../pipeline';

/** Heartbeats per lease: a few chances before the edge gives the job to someone else. */
export const HEARTBEAT_MS = 15_000;

export interface RunnerOptions {
  client: EdgeClient;
  runner: string;
  /** Only jobs of these models (default: any). */
  models?: readonly string[];
  io: SourceIO;
  backend: string;
  codeVersion: string;
  onEvent?: (event: RunEvent) => void;
  log?: (line: string) => void;
  /** Aborting stops the job and hands it back to the queue (released, not failed: no retry is used). */
  signal?: AbortSignal;
  heartbeatMs?: number;
  /** Picks the training backend once the model is known (the browser measures); see PipelineContext. */
  selectBackend?: PipelineContext['selectBackend'];
  /** Where the model search of an `auto` pipeline runs its trials (default: in turn on this thread). */
  trialPool?: PipelineContext['trialPool'];
  /** Caps each job's search budget (ms), whatever the champion's pipeline says. */
  maxSearchMs?: number;
}

export type JobOutcome =
  | { job: string; model: string; status: 'succeeded'; version: number }
  | { job: string; model: string; status: 'failed'; error: string }
  | { job: string; model: string; status: 'released' };

export async function runRetrainJob(job: RetrainJob, o: RunnerOptions): Promise<JobOutcome> {
  const log = o.log ?? (() => {});
  const beat = setInterval(
    () => void o.client.heartbeat(job.id, o.runner).catch((e) => log(`heartbeat failed: ${errorMessage(e)}`)),
    o.heartbeatMs ?? HEARTBEAT_MS,
  );
  try {
    log(`job ${job.id}: retraining ${job.model} (${job.payload.trigger.reason})`);
    const spec = structuredClone(job.payload.spec) as {
      data: string | { source: string; test?: string | null };
    } & Record<string, unknown>;
    const original = typeof spec.data === 'string' ? spec.data : spec.data.source;
    const test = typeof spec.data === 'string' ? null : (spec.data.test ?? null);
    const base = toRows((await loadSource(original, o.io)).table);
    const feedbackCsv = await o.client.feedbackData(job.payload.feedback);
    const feedback = Papa.parse<Record<string, unknown>>(feedbackCsv, {
      header: true,
      skipEmptyLines: 'greedy',
      transformHeader: unescapeFormulaCell,
      transform: unescapeFormulaCell,
    }).data;
    log(`job ${job.id}: ${base.length} original rows + ${feedback.length} labelled feedback rows`);
    const file = `retrain-${job.id}.csv`;
    const bytes = new TextEncoder().encode(Papa.unparse([...base, ...feedback]));
    const io: SourceIO = { ...o.io, readFile: (p) => (p === file ? Promise.resolve(bytes) : o.io.readFile(p)) };
    const result = await runPipeline(
      { ...spec, data: { source: file, test } },
      {
        io,
        backend: o.backend,
        codeVersion: o.codeVersion,
        champion: { metrics: job.payload.champion.metrics, version: String(job.payload.champion.version) },
        signal: o.signal,
        onEvent: o.onEvent,
        selectBackend: o.selectBackend,
        trialPool: o.trialPool,
        maxSearchMs: searchCap(job, o.maxSearchMs),
      },
    );
    if (!result.gates.passed) throw new Error(`the retrained model failed its offline gates: ${result.gates.summary}`);
    const published = await o.client.publish(job.model, result.bundle.bytes);
    await o.client.completeJob(job.id, { runner: o.runner, status: 'succeeded', version: published.version });
    log(`job ${job.id}: published ${job.model} v${published.version}`);
    return { job: job.id, model: job.model, status: 'succeeded', version: published.version };
  } catch (e) {
    if (o.signal?.aborted) {
      log(`job ${job.id}: stopped; handing it back to the queue`);
      await o.client
        .releaseJob(job.id, o.runner)
        .catch((e2) => log(`could not hand the job back (its lease will expire): ${errorMessage(e2)}`));
      return { job: job.id, model: job.model, status: 'released' };
    }
    const error = errorMessage(e);
    log(`job ${job.id} failed: ${error}`);
    await o.client
      .completeJob(job.id, { runner: o.runner, status: 'failed', error })
      .catch((e2) => log(`could not report the failure: ${errorMessage(e2)}`));
    return { job: job.id, model: job.model, status: 'failed', error };
  } finally {
    clearInterval(beat);
  }
}

/** Claims and runs jobs until `signal` aborts (or once, when `once` is set): what runners loop on. */
export async function runAgent(o: RunnerOptions & { pollMs: number; once?: boolean }): Promise<JobOutcome[]> {
  const done: JobOutcome[] = [];
  while (!o.signal?.aborted) {
    const job = await o.client.claimJob(o.runner, o.models);
    if (job) done.push(await runRetrainJob(job, o));
    if (o.once) break;
    if (!job) await new Promise((r) => setTimeout(r, o.pollMs));
  }
  return done;
}

/** The tighter of the runner's cap and the policy's `searchBudget` carried by the job (ms), if either is set. */
function searchCap(job: RetrainJob, runnerCap: number | undefined): number | undefined {
  const policyCap = job.payload.searchBudget
    ? parseDuration(job.payload.searchBudget, 'policy.searchBudget')
    : undefined;
  if (policyCap === undefined) return runnerCap;
  return runnerCap === undefined ? policyCap : Math.min(runnerCap, policyCap);
}
