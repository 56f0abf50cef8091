/**
 * Pipeline runs from the page: `startRun` validates a spec, runs it in the pipeline worker, keeps a
 * live state (step, epoch and batch progress, per-epoch history, the backend decision) that any view
 * can subscribe to, records the run in `db.runs` as it goes, and keeps a successful run's bundle in
 * `db.models`. The notebook uses it; the Runs and Models views read what it writes.
 */
import { writable, type Readable } from 'svelte/store';
import { errorMessage, FlywheelError, isFlywheelError } from '../../core/errors';
import type { EnsembleRecord } from '../../core/model/merge-members';
import type { EpochMetrics } from '../../core/model/train-types';
import { parsePipelineSpec } from '../../core/pipeline/spec';
import type { StepName } from '../../core/pipeline/events';
import type { SearchReport, TrialRecord } from '../../core/search/types';
import type { PipelineClient } from '../../workers/pipeline-client';
import type { BackendChoice, RunOutcome, WorkerRunEvent } from '../../workers/protocol';
import { db, newId, type Run } from './db';
import { residualSummary } from './outputs/residual-summary';
import type { RunSummary, StepRecord } from './outputs/run-output';
import { pipeline } from './workers';

export interface RunState {
  runId: string;
  name: string;
  status: 'running' | 'succeeded' | 'failed' | 'cancelled';
  /** The step in progress, null before the first and after the last. */
  step: StepName | null;
  steps: StepRecord[];
  /** Epochs finished so far, of `epochs` asked for. */
  epoch: number;
  epochs: number;
  /** Batches done in the epoch in progress, of `batchesPerEpoch`. */
  batch: number;
  batchesPerEpoch: number;
  history: EpochMetrics[];
  backend: string | null;
  backendReason: string | null;
  measurements: Record<string, number> | null;
  /** Model search (`model.type: auto`): every leaderboard row as it came (one per trial and rung), newest last. */
  trials: TrialRecord[];
  /** Rows scored so far, of the search's plan (candidates summed over its rungs). */
  trialsDone: number;
  trialsPlanned: number;
  /** The search's report once it is over (the chosen model then trains). */
  search: SearchReport | null;
  warnings: string[];
  startedAt: number;
  /** Set when the run ended: the report a notebook cell keeps as its output. */
  summary: RunSummary | null;
}

export interface RunHandle extends Readable<RunState> {
  readonly id: string;
  /** The state now, without subscribing. */
  current(): RunState;
  /** Stops the run before its next batch; `done` then resolves with status `cancelled`. */
  cancel(): Promise<void>;
  /** Resolves when the run ended, whichever way (it never rejects). */
  readonly done: Promise<RunState>;
}

export interface StartRunOptions {
  /** Files the spec names as its data (bytes by name). */
  files?: { name: string; bytes: ArrayBuffer }[];
  notebookId?: string;
  /** Overrides `train.backend` of the spec when not `auto`. */
  backend?: BackendChoice;
  champion?: { metrics: Record<string, number | null>; version: string } | null;
  /** The worker client (the app's shared one by default). */
  client?: PipelineClient;
}

/** When this page started: runs it did not start and that are older cannot be progressing here. */
const PAGE_STARTED = Date.now();
const startedHere = new Set<string>();

/** Milliseconds between writes of the growing history to db.runs while training. */
const HISTORY_WRITE_MS = 1000;

/**
 * Starts a run and returns its live handle. The spec must be plain data (it is cloned to the worker
 * and into IndexedDB): pass `$state.snapshot(...)` of reactive state. Throws a `bad_spec` FlywheelError (naming each JSON path)
 * before any work when the spec is invalid; every later failure ends the run with status `failed`.
 */
export function startRun(spec: unknown, options: StartRunOptions = {}): RunHandle {
  const parsed = parsePipelineSpec(spec);
  const client = options.client ?? pipeline();
  const runId = newId();
  startedHere.add(runId);
  const startedAt = Date.now();
  const t0 = performance.now();
  const forced = options.backend && options.backend !== 'auto' ? options.backend : parsed.train.backend;
  const store = writable<RunState>({
    runId,
    name: parsed.name,
    status: 'running',
    step: null,
    steps: [],
    epoch: 0,
    epochs: parsed.train.epochs,
    batch: 0,
    batchesPerEpoch: 0,
    history: [],
    backend: forced === 'auto' ? null : forced,
    backendReason: null,
    measurements: null,
    trials: [],
    trialsDone: 0,
    trialsPlanned: 0,
    search: null,
    warnings: [],
    startedAt,
    summary: null,
  });
  let state!: RunState;
  store.subscribe((s) => (state = s));
  const update = (patch: Partial<RunState>) => store.set({ ...state, ...patch });

  const record: Run = {
    id: runId,
    name: parsed.name,
    spec,
    status: 'running',
    tags: [],
    history: [],
    warnings: [],
    startedAt,
    ...(options.notebookId ? { notebookId: options.notebookId } : {}),
  };
  const saved = db.runs.add(record).catch(() => undefined);
  let historyTimer: ReturnType<typeof setTimeout> | null = null;
  const writeHistory = () => {
    historyTimer ??= setTimeout(() => {
      historyTimer = null;
      void saved.then(() => db.runs.update(runId, { history: historyRecords(state.history) }));
    }, HISTORY_WRITE_MS);
  };

  const onEvent = (e: WorkerRunEvent) => {
    switch (e.type) {
      case 'step-start':
        return update({ step: e.step });
      case 'step-end':
        return update({
          step: null,
          steps: [...state.steps, { step: e.step, ms: e.ms, cached: e.cached, summary: e.summary }],
        });
      case 'batch':
        return update({
          epoch: e.progress.epoch,
          epochs: e.epochs,
          batch: e.progress.batch,
          batchesPerEpoch: e.progress.batchesPerEpoch,
        });
      case 'epoch':
        update({ epoch: e.metrics.epoch + 1, epochs: e.epochs, batch: 0, history: [...state.history, e.metrics] });
        return writeHistory();
      case 'backend':
        return update({
          backend: e.chosen,
          backendReason: e.reason,
          measurements: e.measurements as Record<string, number>,
        });
      case 'trial':
        return update({ trials: [...state.trials, e.record], trialsDone: e.done, trialsPlanned: e.planned });
      case 'search':
        return update({ search: e.report });
      case 'log':
        if (e.level === 'warn') update({ warnings: [...state.warnings, e.message] });
        return;
    }
  };

  const done = client
    .run(
      { runId, spec, backend: options.backend ?? 'auto', files: options.files, champion: options.champion ?? null },
      onEvent,
    )
    .then(
      (outcome) => succeed(outcome),
      (e: unknown) => fail(e),
    )
    .finally(() => {
      if (historyTimer) clearTimeout(historyTimer);
    });

  async function succeed(outcome: RunOutcome): Promise<RunState> {
    const warnings = [...outcome.warnings];
    let residuals = null;
    if (outcome.task === 'regression') {
      try {
        residuals = await residualSummary(outcome.bundle);
      } catch (e) {
        warnings.push(`residuals could not be computed: ${errorMessage(e)}`);
      }
    }
    const lineage = outcome.lineage as {
      backendMeasurements?: Record<string, number>;
      search?: SearchReport;
      ensemble?: EnsembleRecord;
    } | null;
    const measurements = state.measurements ?? lineage?.backendMeasurements ?? null;
    const search = lineage?.search ?? state.search;
    const summary: RunSummary = {
      ...baseSummary('succeeded'),
      task: outcome.task,
      backend: outcome.backend,
      metrics: outcome.metrics,
      details: outcome.details,
      gates: outcome.gates as RunSummary['gates'],
      warnings,
      bundleId: outcome.bundleId,
      history: outcome.history as EpochMetrics[],
      ...(residuals ? { residuals } : {}),
      ...(measurements ? { measurements } : {}),
      ...(search ? { search } : {}),
      ...(lineage?.ensemble ? { ensemble: lineage.ensemble } : {}),
    };
    try {
      await recordSuccess(outcome, summary, measurements);
    } catch (e) {
      summary.warnings = [
        ...summary.warnings,
        `the run could not be recorded in this browser's database: ${errorMessage(e)}`,
      ];
    }
    update({
      status: 'succeeded',
      step: null,
      backend: outcome.backend,
      measurements,
      warnings: summary.warnings,
      history: summary.history,
      summary,
    });
    return state;
  }

  async function recordSuccess(
    outcome: RunOutcome,
    summary: RunSummary,
    measurements: Record<string, number> | null,
  ): Promise<void> {
    const { warnings } = summary;
    await saved;
    await db.runs.update(runId, {
      status: 'succeeded',
      backend: outcome.backend,
      metrics: outcome.metrics,
      details: outcome.details,
      gates: outcome.gates,
      history: historyRecords(outcome.history as EpochMetrics[]),
      lineage: outcome.lineage,
      warnings,
      bundleId: outcome.bundleId,
      finishedAt: Date.now(),
      ...(measurements ? { backendMeasurements: measurements } : {}),
    });
    const existing = await db.models.get(outcome.bundleId);
    await db.models.put({
      id: outcome.bundleId,
      name: outcome.name,
      task: outcome.task,
      bundle: outcome.bundle,
      metrics: outcome.metrics,
      runId,
      createdAt: existing?.createdAt ?? Date.now(),
      published: existing?.published ?? [],
    });
  }

  async function fail(e: unknown): Promise<RunState> {
    const status = isFlywheelError(e) && e.code === 'cancelled' ? 'cancelled' : 'failed';
    const error = status === 'cancelled' ? 'cancelled before it finished' : errorMessage(e);
    const summary: RunSummary = { ...baseSummary(status), error };
    await saved;
    await db.runs
      .update(runId, {
        status,
        error,
        history: historyRecords(state.history),
        warnings: state.warnings,
        finishedAt: Date.now(),
        ...(state.backend ? { backend: state.backend } : {}),
      })
      .catch(() => undefined);
    update({ status, step: null, summary });
    return state;
  }

  function baseSummary(status: RunSummary['status']): RunSummary {
    return {
      runId,
      name: parsed.name,
      target: parsed.target,
      status,
      history: state.history,
      epochs: parsed.train.epochs,
      steps: state.steps,
      warnings: state.warnings,
      durationMs: performance.now() - t0,
      ...(state.backend ? { backend: state.backend } : {}),
      ...(state.backendReason ? { backendReason: state.backendReason } : {}),
      ...(state.measurements ? { measurements: state.measurements } : {}),
    };
  }

  return {
    id: runId,
    subscribe: store.subscribe,
    current: () => state,
    async cancel() {
      if (state.status !== 'running') return;
      await client.cancel(runId).catch(() => undefined);
    },
    done,
  };
}

/**
 * Marks as failed the runs left `running` by a page that was closed or reloaded mid-run (a run lives
 * in its page's worker and dies with it). Only runs started before this page loaded are touched, so
 * a run in progress here is never affected; one still going in another tab is corrected by its own
 * final write. Returns how many were settled.
 */
export async function settleAbandonedRuns(): Promise<number> {
  const abandoned = await db.runs
    .where('status')
    .equals('running')
    .filter((r) => r.startedAt < PAGE_STARTED && !startedHere.has(r.id))
    .toArray();
  await Promise.all(
    abandoned.map((r) =>
      db.runs.update(r.id, {
        status: 'failed',
        error: 'the page was closed or reloaded while the run was in progress',
      }),
    ),
  );
  return abandoned.length;
}

/** db.runs keeps each epoch as a plain record of numbers (EpochMetrics has only numeric fields). */
function historyRecords(history: EpochMetrics[]): Record<string, number>[] {
  return history.map((h) => ({ ...h }) as unknown as Record<string, number>);
}

/**
 * The bytes of the files a spec names (not samples or URLs), from the datasets kept in db.datasets
 * (the newest of a name). Throws `not_found` naming the missing file, before a run starts.
 */
export async function runFiles(names: readonly string[]): Promise<{ name: string; bytes: ArrayBuffer }[]> {
  const out: { name: string; bytes: ArrayBuffer }[] = [];
  for (const name of new Set(names)) {
    const found = (await db.datasets.where('name').equals(name).sortBy('createdAt')).filter((d) => d.bytes).pop();
    if (!found?.bytes)
      throw new FlywheelError(
        'not_found',
        `no dataset file named "${name}" is stored in this browser: drop or pick the file again`,
        [{ path: 'data.source', message: `no file "${name}"` }],
      );
    out.push({ name, bytes: found.bytes.slice(0) });
  }
  return out;
}

/**
 * The user's labels on a run: its name, tags and notes (what the run did is never edited). Throws
 * `bad_input` for an empty name.
 */
export async function labelRun(id: string, patch: { name?: string; tags?: string[]; notes?: string }): Promise<void> {
  const changes: Partial<Run> = {};
  if (patch.name !== undefined) {
    const name = patch.name.trim();
    if (!name) throw new FlywheelError('bad_input', 'a run needs a name', [{ path: 'name', message: 'empty' }]);
    changes.name = name;
  }
  if (patch.tags !== undefined) changes.tags = patch.tags;
  if (patch.notes !== undefined) changes.notes = patch.notes;
  await db.runs.update(id, changes);
}
