/**
 * The browser's database (IndexedDB through Dexie): notebooks, datasets, runs, local models and
 * settings. One schema, declared here; views read and write through these tables only.
 */
import Dexie, { type EntityTable } from 'dexie';
import type { MimeBundle } from '../../workers/protocol';

/** `raw` is Jupyter's raw cell: text kept as written, never rendered or run. */
export type CellKind = 'markdown' | 'code' | 'pipeline' | 'raw';
export type CellStatus = 'idle' | 'queued' | 'running' | 'ok' | 'error' | 'stale';

export interface Cell {
  id: string;
  kind: CellKind;
  /** Markdown or JavaScript text; for a pipeline cell, the spec as JSON text. */
  source: string;
  outputs: MimeBundle[];
  status: CellStatus;
  durationMs?: number;
  executionCount?: number;
  /** Jupyter cell metadata other than Flywheel's own (`tags`, `collapsed`, `jupyter`…), kept for export. */
  metadata?: Record<string, unknown>;
  /** A markdown cell's attachments as nbformat has them: name → MIME type → base64 data. */
  attachments?: Record<string, Record<string, string>>;
}

export interface Notebook {
  id: string;
  title: string;
  cells: Cell[];
  /**
   * Notebook metadata of an imported `.ipynb` (`kernelspec`, `language_info`…), kept so export gives
   * it back; its kernel's language says whether the code cells are JavaScript this app can run.
   */
  metadata?: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

export interface Dataset {
  id: string;
  name: string;
  /** `sample:…` or a URL; absent for an uploaded file, whose bytes are kept. */
  source?: string;
  bytes?: ArrayBuffer;
  size: number;
  rows?: number;
  createdAt: number;
}

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface Run {
  id: string;
  /** The spec's name when the run starts; the user may rename the run afterwards. */
  name: string;
  /** Labels the user gives the run (filterable; indexed since schema version 2). */
  tags: string[];
  /** The user's free-text notes on the run. */
  notes?: string;
  spec: unknown;
  status: RunStatus;
  backend?: string;
  backendMeasurements?: Record<string, number>;
  metrics?: Record<string, number | null>;
  details?: unknown;
  gates?: unknown;
  history: Record<string, number>[];
  lineage?: unknown;
  warnings: string[];
  error?: string;
  bundleId?: string;
  notebookId?: string;
  startedAt: number;
  finishedAt?: number;
}

export interface LocalModel {
  /** The bundle id (sha256 of its manifest). */
  id: string;
  name: string;
  task: 'classification' | 'regression';
  bundle: ArrayBuffer;
  metrics: Record<string, number | null>;
  runId?: string;
  createdAt: number;
  published: { edge: string; version: number; at: number }[];
}

export interface Setting {
  key: string;
  value: unknown;
}

export class FlywheelDb extends Dexie {
  notebooks!: EntityTable<Notebook, 'id'>;
  datasets!: EntityTable<Dataset, 'id'>;
  runs!: EntityTable<Run, 'id'>;
  models!: EntityTable<LocalModel, 'id'>;
  settings!: EntityTable<Setting, 'key'>;

  constructor(name = 'flywheel') {
    super(name);
    this.version(1).stores({
      notebooks: 'id, updatedAt',
      datasets: 'id, name, createdAt',
      runs: 'id, startedAt, status, notebookId',
      models: 'id, name, createdAt',
      settings: 'key',
    });
    // 2: runs carry user tags (multi-entry index) and notes; runs kept from version 1 get no tags.
    this.version(2)
      .stores({ runs: 'id, startedAt, status, notebookId, *tags' })
      .upgrade((tx) =>
        tx
          .table<Run, string>('runs')
          .toCollection()
          .modify((run) => {
            run.tags ??= [];
          }),
      );
  }
}

export const db = new FlywheelDb();

/** A short random id for notebooks, cells, runs. */
export function newId(): string {
  return crypto.randomUUID().replace(/-/g, '').slice(0, 16);
}

/** Edges the app can publish to: the same origin by default, others added in Settings. */
export interface EdgeTarget {
  name: string;
  url: string;
  key?: string;
}

export async function getSetting<T>(key: string, fallback: T): Promise<T> {
  return ((await db.settings.get(key))?.value as T | undefined) ?? fallback;
}

export async function setSetting(key: string, value: unknown): Promise<void> {
  await db.settings.put({ key, value });
}
