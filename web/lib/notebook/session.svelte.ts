/**
 * An open notebook: its reactive document, autosaved to IndexedDB (debounced), and the queue that
 * runs its cells — code cells in the shared kernel worker, pipeline cells through `startRun`. A
 * session outlives the page that shows it, so leaving a notebook mid-run and coming back shows the
 * run still going.
 */
import { errorMessage } from '../../../core/errors';
import { appendOutput } from '../../../workers/mime';
import type { MimeBundle } from '../../../workers/protocol';
import { db, type Cell, type CellKind, type CellStatus, type Notebook } from '../db';
import { runBundle } from '../outputs/run-output';
import { championFor } from '../champion';
import { describeEdgeError, listEdges } from '../edges';
import { runFiles, startRun, type RunHandle, type RunState } from '../runs';
import { kernel } from '../workers';
import { errorText, kernelDisplayName, notebookLanguage } from './ipynb';
import { nextExecutionCount } from './kernel-state.svelte';
import { checkSpecText, fileSources } from './spec-text';
import { cellNames, markDependentsStale } from './staleness';
import { newCell } from './templates';

/** Debounce of autosave: a burst of keystrokes becomes one write. */
export const SAVE_DELAY_MS = 300;

/** Errors the kernel client makes up when it kills the worker (the cell's earlier outputs still stand). */
const KERNEL_ENDINGS = ['Interrupted', 'Restarted', 'KernelCrash'];

export class NotebookSession {
  doc = $state() as Notebook;
  saveState = $state<'saved' | 'saving' | 'failed'>('saved');
  saveError = $state<string | null>(null);
  /** Live state of the pipeline runs in progress, by cell id. */
  live = $state.raw<Record<string, RunState>>({});
  /** The cell running now. */
  current = $state<string | null>(null);
  /** Cells waiting to run, in order. */
  queue = $state<string[]>([]);
  /** The selected cell (command mode) and the one whose editor has focus (edit mode). */
  selected = $state<string | null>(null);
  editing = $state<string | null>(null);

  /** Why a pipeline cell cannot run, by cell id, as its form says it (a field the spec cannot take). */
  formProblems = $state<Record<string, string[]>>({});

  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  private pumping = false;
  private before = new Map<string, CellStatus>();
  private handles = new Map<string, RunHandle>();
  private closed = false;

  constructor(doc: Notebook) {
    for (const c of doc.cells) if (c.status === 'queued' || c.status === 'running') c.status = 'idle';
    this.doc = doc;
    this.selected = doc.cells[0]?.id ?? null;
  }

  /** An imported notebook for another kernel (Python…): its code cells and outputs are kept, not run. */
  get foreign(): boolean {
    return notebookLanguage(this.doc) !== 'javascript';
  }

  /** The kernel the notebook was written for, as its author saw it. */
  get languageName(): string {
    return kernelDisplayName(this.doc);
  }

  cell(id: string): Cell | undefined {
    return this.doc.cells.find((c) => c.id === id);
  }

  index(id: string): number {
    return this.doc.cells.findIndex((c) => c.id === id);
  }

  // ——— editing ———

  setTitle(title: string): void {
    this.doc.title = title.trim() || 'Untitled notebook';
    this.touch();
  }

  /** A new source for a cell: it and (transitively) every cell reading its names become stale. */
  setSource(id: string, source: string): void {
    const cell = this.cell(id);
    if (!cell || cell.source === source) return;
    const declaredBefore = cellNames(cell).declared;
    cell.source = source;
    if (cell.status === 'ok' || cell.status === 'error') cell.status = 'stale';
    markDependentsStale(this.doc.cells, id, declaredBefore);
    this.touch();
  }

  insertCell(at: number, kind: CellKind, source?: string): string {
    const cell = newCell(kind, source);
    this.doc.cells.splice(Math.max(0, Math.min(at, this.doc.cells.length)), 0, cell);
    this.selected = cell.id;
    this.touch();
    return cell.id;
  }

  /** Removes a cell and returns what `restoreCell` needs to undo it; a running cell is not removed. */
  deleteCell(id: string): { cell: Cell; index: number } | null {
    const index = this.index(id);
    if (index < 0 || this.current === id) return null;
    this.dequeue(id);
    const [cell] = this.doc.cells.splice(index, 1);
    markDependentsStale([...this.doc.cells.slice(0, index), cell, ...this.doc.cells.slice(index)], id);
    const next = this.doc.cells[Math.min(index, this.doc.cells.length - 1)];
    this.selected = next?.id ?? null;
    if (this.editing === id) this.editing = null;
    this.touch();
    return { cell: $state.snapshot(cell) as Cell, index };
  }

  restoreCell(cell: Cell, index: number): void {
    this.doc.cells.splice(Math.min(index, this.doc.cells.length), 0, cell);
    this.selected = cell.id;
    this.touch();
  }

  moveCell(id: string, delta: number): void {
    const from = this.index(id);
    const to = from + delta;
    if (from < 0 || to < 0 || to >= this.doc.cells.length) return;
    const [cell] = this.doc.cells.splice(from, 1);
    this.doc.cells.splice(to, 0, cell);
    this.touch();
  }

  setKind(id: string, kind: CellKind): void {
    const cell = this.cell(id);
    if (!cell || cell.kind === kind || this.current === id) return;
    this.dequeue(id);
    cell.kind = kind;
    cell.outputs = [];
    cell.status = 'idle';
    delete cell.executionCount;
    delete cell.durationMs;
    if (kind === 'pipeline' && cell.source.trim() === '') cell.source = newCell('pipeline').source;
    this.touch();
  }

  clearOutputs(id: string): void {
    const cell = this.cell(id);
    if (!cell || this.current === id) return;
    cell.outputs = [];
    cell.status = 'idle';
    delete cell.durationMs;
    this.touch();
  }

  // ——— saving ———

  /** Schedules a save; a burst of edits within SAVE_DELAY_MS is written once. */
  touch(): void {
    this.doc.updatedAt = Date.now();
    this.saveState = 'saving';
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => void this.flush(), SAVE_DELAY_MS);
  }

  async flush(): Promise<void> {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    if (this.closed) return;
    try {
      await db.notebooks.put($state.snapshot(this.doc) as Notebook);
      if (!this.saveTimer) this.saveState = 'saved';
      this.saveError = null;
    } catch (e) {
      this.saveState = 'failed';
      this.saveError = errorMessage(e);
    }
  }

  // ——— running ———

  setFormProblems(id: string, problems: string[]): void {
    const before = this.formProblems[id] ?? [];
    if (before.length === problems.length && before.every((p, i) => p === problems[i])) return;
    this.formProblems = { ...this.formProblems, [id]: problems };
  }

  /** Why a cell cannot run now (its spec or form is invalid, or its code is another kernel's), or null. */
  blocked(cell: Cell): string | null {
    if (cell.kind === 'code' && this.foreign) return `this is ${this.languageName} code: Flywheel runs JavaScript`;
    if (cell.kind !== 'pipeline') return null;
    const form = this.formProblems[cell.id];
    if (form?.length) return form[0];
    const check = checkSpecText(cell.source);
    return check.ok ? null : `${check.problems[0].path}: ${check.problems[0].message}`;
  }

  /** Queues cells to run in order (a cell already queued or running is not queued twice). */
  run(ids: string[]): void {
    for (const id of ids) {
      const cell = this.cell(id);
      if (!cell || this.queue.includes(id) || this.current === id) continue;
      if (cell.kind === 'markdown' || cell.kind === 'raw') continue;
      // Python run as JavaScript, or a spec the form already says is wrong, would only fail:
      // the reason is shown on the cell instead.
      if (this.blocked(cell)) continue;
      this.before.set(id, cell.status);
      cell.status = 'queued';
      this.queue.push(id);
    }
    void this.pump();
  }

  runAll(): void {
    this.run(this.doc.cells.map((c) => c.id));
  }

  runStale(): void {
    this.run(this.doc.cells.filter((c) => c.status === 'stale').map((c) => c.id));
  }

  /** Stops the running cell and empties the queue (queued cells go back to how they were). */
  interrupt(): void {
    for (const id of [...this.queue]) this.dequeue(id);
    const cur = this.current ? this.cell(this.current) : undefined;
    if (cur?.kind === 'pipeline') void this.handles.get(cur.id)?.cancel();
    else if (cur?.kind === 'code') kernel().interrupt();
  }

  /** Cancels the pipeline run of a cell (the queue goes on). */
  cancelRun(id: string): void {
    void this.handles.get(id)?.cancel();
  }

  /** A fresh kernel: variables are gone and execution counts start again. */
  restartKernel(): void {
    for (const id of [...this.queue]) this.dequeue(id);
    kernel().restart();
  }

  private dequeue(id: string): void {
    const i = this.queue.indexOf(id);
    if (i < 0) return;
    this.queue.splice(i, 1);
    const cell = this.cell(id);
    if (cell) cell.status = this.before.get(id) ?? 'idle';
    this.before.delete(id);
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length) {
        const id = this.queue.shift()!;
        this.before.delete(id);
        const cell = this.cell(id);
        if (!cell) continue;
        this.current = id;
        cell.status = 'running';
        cell.executionCount = nextExecutionCount();
        try {
          if (cell.kind === 'code') await this.runCode(cell);
          else await this.runPipeline(cell);
        } catch (e) {
          cell.outputs = [...cell.outputs, errorBundle('Error', errorMessage(e))];
          cell.status = 'error';
        }
        this.current = null;
        markDependentsStale(this.doc.cells, id);
        this.touch();
      }
    } finally {
      this.current = null;
      this.pumping = false;
    }
  }

  private async runCode(cell: Cell): Promise<void> {
    cell.outputs = [];
    let streamed: MimeBundle[] = [];
    const result = await kernel().run(cell.source, (o) => {
      streamed = appendOutput(streamed, o);
      cell.outputs = streamed;
    });
    const last = result.outputs[result.outputs.length - 1]?.['application/vnd.flywheel.error+json'];
    // The worker's result repeats what it streamed; an ending made up by the client does not.
    cell.outputs = last && KERNEL_ENDINGS.includes(last.name) ? [...streamed, ...result.outputs] : result.outputs;
    cell.status = result.status;
    cell.durationMs = result.durationMs;
  }

  private async runPipeline(cell: Cell): Promise<void> {
    cell.outputs = [];
    const started = performance.now();
    const check = checkSpecText(cell.source);
    if (!check.ok) {
      cell.outputs = [errorBundle('SpecError', check.problems.map((p) => `${p.path}: ${p.message}`).join('; '))];
      cell.status = 'error';
      cell.durationMs = performance.now() - started;
      return;
    }
    // vsChampion gates compare with what this server's edge serves under the spec's name.
    const notes: MimeBundle[] = [];
    const edge = (await listEdges())[0];
    const champion = await championFor(check.value, edge).catch((e: unknown) => {
      notes.push({
        'text/plain': `The champion of "${check.value.name}" on ${edge.name} could not be read (${describeEdgeError(e, edge, 'predict')}), so vsChampion gates have nothing to compare with.`,
      });
      return null;
    });
    const handle = startRun(check.value, {
      files: await runFiles(fileSources(check.value)),
      notebookId: this.doc.id,
      champion,
    });
    this.handles.set(cell.id, handle);
    const stop = handle.subscribe((s) => (this.live = { ...this.live, [cell.id]: s }));
    const final = await handle.done;
    stop();
    this.handles.delete(cell.id);
    const { [cell.id]: _, ...rest } = this.live;
    this.live = rest;
    const summary = final.summary!;
    cell.outputs = [
      ...notes,
      ...(summary.status === 'failed'
        ? [errorBundle('RunFailed', summary.error ?? 'the run failed'), runBundle(summary)]
        : [runBundle(summary)]),
    ];
    cell.status = summary.status === 'succeeded' ? 'ok' : 'error';
    cell.durationMs = performance.now() - started;
  }

  /** Stops saving (the notebook was deleted) and stops what runs. */
  close(): void {
    this.closed = true;
    if (this.saveTimer) clearTimeout(this.saveTimer);
    if (this.current || this.queue.length) this.interrupt();
  }
}

function errorBundle(name: string, message: string): MimeBundle {
  const err = { name, message };
  return { 'application/vnd.flywheel.error+json': err, 'text/plain': errorText(err) };
}

const sessions = new Map<string, NotebookSession>();

/** The session of a notebook, loaded from IndexedDB once; null when there is no such notebook. */
export async function openSession(id: string): Promise<NotebookSession | null> {
  const open = sessions.get(id);
  if (open) return open;
  const doc = await db.notebooks.get(id);
  if (!doc) return null;
  const session = sessions.get(id) ?? new NotebookSession(doc);
  sessions.set(id, session);
  return session;
}

/** The session of a notebook if it is open in this page (its document may hold unsaved edits). */
export function loadedSession(id: string): NotebookSession | undefined {
  return sessions.get(id);
}

/** Forgets a notebook's session (after it was deleted), stopping what it runs. */
export function closeSession(id: string): void {
  sessions.get(id)?.close();
  sessions.delete(id);
}
