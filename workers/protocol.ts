/**
 * The typed messages between the page and Flywheel's workers, declared once. Both workers are
 * reached through comlink; progress comes back through `comlink.proxy` callbacks; large arrays
 * (dataset bytes, bundles) cross as transferred ArrayBuffers.
 */
import type { ModelEvent } from '../core/api/contract';
import type { JobOutcome } from '../core/automation/runner';
import type { Schema, TableProfile } from '../core/features';
import type { RunEvent } from '../core/pipeline/events';
import type { SearchData, TrialResult, TrialTask } from '../core/search/types';

export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export type BackendChoice = 'auto' | BackendName;

export interface BackendInfo {
  name: BackendName;
  available: boolean;
  /** Why it is unavailable, or what it runs on (adapter, SIMD, threads). */
  detail: string;
}

/** A dataset the page hands to the worker: a user's file (bytes transferred) or a source reference. */
export type DataInput = { kind: 'source'; source: string } | { kind: 'file'; name: string; bytes: ArrayBuffer };

export interface RunRequest {
  runId: string;
  /** The pipeline spec (validated in the worker, before any work). */
  spec: unknown;
  backend: BackendChoice;
  /** Files the spec's `data.source` / `data.test` refer to by name. */
  files?: { name: string; bytes: ArrayBuffer }[];
  champion?: { metrics: Record<string, number | null>; version: string } | null;
  /**
   * Model-search trial workers for this run, 1 to MAX_TRIAL_WORKERS (default: one per logical core,
   * at most that many): fewer leave cores to the page, and a benchmark compares 1, 2 and all.
   */
  trialWorkers?: number;
}

/** Events of a run in the worker: the pipeline's own, plus the backend decision. */
export type WorkerRunEvent =
  | RunEvent
  | { type: 'backend'; chosen: BackendName; measurements: Partial<Record<BackendName, number>>; reason: string };

export interface RunOutcome {
  runId: string;
  bundle: ArrayBuffer;
  bundleId: string;
  name: string;
  task: 'classification' | 'regression';
  metrics: Record<string, number | null>;
  /** Full metrics (confusion matrix, per class) as JSON. */
  details: unknown;
  gates: unknown;
  history: unknown[];
  lineage: unknown;
  warnings: string[];
  backend: BackendName;
  /** Live tensors in the worker after the run (equal to before: no leaks). */
  tensorsAfter: number;
  tensorsBefore: number;
}

export interface ProfileOutcome {
  name: string;
  rows: number;
  profile: TableProfile;
  schema: Schema;
}

export interface PipelineWorkerApi {
  run(request: RunRequest, onEvent: (event: WorkerRunEvent) => void): Promise<RunOutcome>;
  /** Reads, types and profiles a dataset off the main thread. */
  profile(data: DataInput): Promise<ProfileOutcome>;
  /** Stops a run before its next batch; the run then rejects with a `cancelled` error. */
  cancel(runId: string): Promise<void>;
  backends(): Promise<BackendInfo[]>;
  memory(): Promise<{ numTensors: number; numBytes: number; backend: string }>;
  /**
   * Autopilot: claims one retrain job from an edge and runs it here (train, publish, report), the same
   * runner code as `flywheel agent`. Resolves with the outcome, or null when the queue was empty.
   * `onClaim` hears the id of the job it holds, so the page can hand it back if the tab closes.
   */
  autopilot(
    request: AutopilotRequest,
    onLog: (line: string) => void,
    onClaim?: (job: string, model: string) => void,
  ): Promise<AutopilotOutcome | null>;
  /** Stops `runner`'s job in progress, if any; the job is handed back to the queue without using a retry. */
  stopAutopilot(runner: string): Promise<void>;
  /** The model-search trial workers alive now (they live as long as their run) and the tasks they are running. */
  trialWorkers(): Promise<TrialWorkersInfo>;
}

export interface TrialWorkersInfo {
  /** Trial workers started and not yet terminated, over every run in progress. */
  workers: number;
  /** Trial tasks running in them, as the workers themselves count. */
  busy: number;
}

/** A model-search trial worker (workers/trial.worker.ts), driven by the pool in workers/trial-pool.ts. */
export interface TrialWorkerApi {
  /** Starts `backend` (or, where it does not start, the first that does) and keeps `data` for the tasks to come; resolves with the backend it runs on. */
  load(data: SearchData, backend: BackendName): Promise<BackendName>;
  /** Runs one task (the pool stops an aborted one by terminating the worker). */
  run(task: TrialTask): Promise<TrialResult>;
}

export interface AutopilotRequest {
  edge: string;
  key: string;
  runner: string;
  /** Only jobs of these models (default: any). */
  models?: string[];
}

export type AutopilotOutcome = JobOutcome;

/** MIME bundles: what a notebook cell outputs, the same shape as Jupyter's, so `.ipynb` export is direct. */
export interface TableOutput {
  columns: string[];
  rows: (string | number | boolean | null)[][];
  /** Rows in the whole table (rows may hold only the first ones). */
  total: number;
}

export interface ChartOutput {
  mark: 'line' | 'dot' | 'bar' | 'area';
  data: Record<string, unknown>[];
  x: string;
  y: string;
  /** Series column (one line/colour per value). */
  z?: string;
  title?: string;
}

export interface ErrorOutput {
  name: string;
  message: string;
  /** 1-based line and column in the cell, when known. */
  line?: number;
  column?: number;
  /** A traceback as another kernel wrote it (Jupyter's lines, ANSI colours kept); ours is derived from the rest. */
  traceback?: string[];
}

/** Text a cell wrote to the console: log/info go to stdout, warn/error to stderr (Jupyter's `stream`). */
export interface StreamOutput {
  name: 'stdout' | 'stderr';
  text: string;
}

/**
 * What Jupyter keeps around a bundle besides its data: whether it was the cell's value
 * (`execute_result`, numbered with its cell) or shown by `display()`, and the output's metadata.
 * Absent means `display_data` with no metadata.
 */
export interface OutputEnvelope {
  type: 'execute_result' | 'display_data';
  metadata?: Record<string, unknown>;
}

export interface MimeBundle {
  'text/plain'?: string;
  'text/markdown'?: string;
  'text/html'?: string;
  'image/png'?: string;
  'image/jpeg'?: string;
  'image/svg+xml'?: string;
  'application/vnd.flywheel.table+json'?: TableOutput;
  'application/vnd.flywheel.profile+json'?: TableProfile;
  'application/vnd.flywheel.stream+json'?: StreamOutput;
  'application/vnd.flywheel.output+json'?: OutputEnvelope;
  'application/vnd.flywheel.chart+json'?: ChartOutput;
  'application/vnd.flywheel.error+json'?: ErrorOutput;
}

export interface CellResult {
  status: 'ok' | 'error';
  outputs: MimeBundle[];
  durationMs: number;
}

export interface KernelApi {
  /** Runs a cell: JavaScript with top-level await; top-level names persist for later cells. */
  run(code: string, onOutput: (output: MimeBundle) => void): Promise<CellResult>;
  /** Names defined so far in the kernel's scope. */
  names(): Promise<string[]>;
}

/** Re-exported so the UI can type edge data without reaching into core directly. */
export type { ModelEvent };
