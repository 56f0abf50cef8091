/**
 * `.ipynb` (nbformat 4.5) import and export. Markdown cells stay markdown; code cells keep their
 * outputs, each MIME bundle becoming a Jupyter `display_data` (data keyed by MIME type) or, for a
 * plain error, an `error` output; a pipeline cell is a code cell marked `metadata.flywheel.kind =
 * 'pipeline'` whose source is the spec JSON. Export then import gives back the same cells and outputs.
 */
import { FlywheelError } from '../../../core/errors';
import type { ErrorOutput, MimeBundle } from '../../../workers/protocol';
import type { Cell, CellKind, CellStatus, Notebook } from '../db';

export const KERNELSPEC = { name: 'flywheel-js', display_name: 'JavaScript (Flywheel)', language: 'javascript' } as const;
const ERROR_MIME = 'application/vnd.flywheel.error+json';
/** What Jupyter's `error` output can carry of an ErrorOutput (the position rides in the traceback). */
const ERROR_KEYS = ['name', 'message', 'line', 'column'];

type Multiline = string | string[];
type JupyterOutput =
  | { output_type: 'display_data'; data: Record<string, unknown>; metadata: Record<string, unknown> }
  | { output_type: 'execute_result'; data: Record<string, unknown>; metadata: Record<string, unknown>; execution_count: number | null }
  | { output_type: 'stream'; name: string; text: Multiline }
  | { output_type: 'error'; ename: string; evalue: string; traceback: string[] };

interface FlywheelCellMeta {
  kind?: CellKind;
  status?: CellStatus;
  durationMs?: number;
}

export interface IpynbCell {
  id?: string;
  cell_type: 'markdown' | 'code' | 'raw';
  source: Multiline;
  metadata: { flywheel?: FlywheelCellMeta; [key: string]: unknown };
  outputs?: JupyterOutput[];
  execution_count?: number | null;
}

export interface Ipynb {
  nbformat: number;
  nbformat_minor: number;
  metadata: { kernelspec?: unknown; language_info?: unknown; flywheel?: { title?: string }; [key: string]: unknown };
  cells: IpynbCell[];
}

/** A notebook as nbformat 4.5 JSON (an object; `JSON.stringify` it to save). */
export function toIpynb(nb: Notebook): Ipynb {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { ...KERNELSPEC }, language_info: { name: 'javascript' }, flywheel: { title: nb.title } },
    cells: nb.cells.map(exportCell),
  };
}

function exportCell(cell: Cell): IpynbCell {
  const flywheel: FlywheelCellMeta = { kind: cell.kind, status: settled(cell.status) };
  if (cell.durationMs !== undefined) flywheel.durationMs = cell.durationMs;
  if (cell.kind === 'markdown') return { id: cell.id, cell_type: 'markdown', metadata: { flywheel }, source: lines(cell.source) };
  return { id: cell.id, cell_type: 'code', metadata: { flywheel }, execution_count: cell.executionCount ?? null, source: lines(cell.source), outputs: cell.outputs.map(exportOutput) };
}

/** A cell saved while queued or running will not be running when the file is opened again. */
function settled(status: CellStatus): CellStatus {
  return status === 'queued' || status === 'running' ? 'idle' : status;
}

function exportOutput(bundle: MimeBundle): JupyterOutput {
  const err = bundle[ERROR_MIME];
  // Only a bundle that `error` can carry in full becomes one; anything richer stays display_data.
  if (err && Object.keys(bundle).length === 2 && bundle['text/plain'] === errorText(err) && Object.keys(err).every((k) => ERROR_KEYS.includes(k))) {
    return { output_type: 'error', ename: err.name, evalue: err.message, traceback: traceback(err) };
  }
  const data: Record<string, unknown> = {};
  for (const [mime, value] of Object.entries(bundle)) data[mime] = typeof value === 'string' && !isJsonMime(mime) ? lines(value) : value;
  return { output_type: 'display_data', data, metadata: {} };
}

/** The text the kernel gives an error: "ReferenceError: x is not defined (line 3)". */
export function errorText(err: ErrorOutput): string {
  return `${err.name}: ${err.message}${err.line !== undefined ? ` (line ${err.line})` : ''}`;
}

function traceback(err: ErrorOutput): string[] {
  const out = [`${err.name}: ${err.message}`];
  if (err.line !== undefined) out.push(`    at cell line ${err.line}${err.column !== undefined ? `, column ${err.column}` : ''}`);
  return out;
}

/**
 * Reads a `.ipynb` document (parsed JSON). Foreign notebooks load too: Python code cells become code
 * cells, raw cells become markdown, streams become text. Throws `bad_input` naming the path of what is
 * not a notebook.
 */
export function fromIpynb(doc: unknown, fallbackTitle: string, now: number, newId: () => string): Notebook {
  const nb = doc as Partial<Ipynb> | null;
  if (!nb || typeof nb !== 'object' || !Array.isArray(nb.cells)) throw bad('cells', 'not a Jupyter notebook: there is no "cells" list');
  if (typeof nb.nbformat !== 'number' || nb.nbformat < 4) throw bad('nbformat', `only nbformat 4 notebooks can be imported (this one says ${String(nb.nbformat)})`);
  const ids = new Set<string>();
  const cells = nb.cells.map((c, i) => importCell(c, `cells[${i}]`, newId, ids));
  const title = typeof nb.metadata?.flywheel?.title === 'string' && nb.metadata.flywheel.title ? nb.metadata.flywheel.title : fallbackTitle;
  return { id: newId(), title, cells, createdAt: now, updatedAt: now };
}

function importCell(c: IpynbCell, path: string, newId: () => string, ids: Set<string>): Cell {
  if (!c || typeof c !== 'object') throw bad(path, 'a cell must be an object');
  if (!['markdown', 'code', 'raw'].includes(c.cell_type)) throw bad(`${path}.cell_type`, `unknown cell type ${JSON.stringify(c.cell_type)}`);
  const source = joined(c.source, `${path}.source`);
  const meta = c.metadata?.flywheel ?? {};
  let id = typeof c.id === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(c.id) ? c.id : newId();
  if (ids.has(id)) id = newId();
  ids.add(id);
  const status = meta.status ? settled(meta.status) : 'idle';
  const durationMs = typeof meta.durationMs === 'number' ? meta.durationMs : undefined;
  if (c.cell_type !== 'code') return withOptional({ id, kind: 'markdown', source, outputs: [], status }, durationMs, undefined);
  const kind: CellKind = meta.kind === 'pipeline' ? 'pipeline' : 'code';
  const outputs = (Array.isArray(c.outputs) ? c.outputs : []).map((o, j) => importOutput(o, `${path}.outputs[${j}]`));
  return withOptional({ id, kind, source, outputs, status }, durationMs, typeof c.execution_count === 'number' ? c.execution_count : undefined);
}

function withOptional(cell: Cell, durationMs: number | undefined, executionCount: number | undefined): Cell {
  if (durationMs !== undefined) cell.durationMs = durationMs;
  if (executionCount !== undefined) cell.executionCount = executionCount;
  return cell;
}

function importOutput(o: JupyterOutput, path: string): MimeBundle {
  switch (o?.output_type) {
    case 'display_data':
    case 'execute_result': {
      const bundle: Record<string, unknown> = {};
      for (const [mime, value] of Object.entries(o.data ?? {})) {
        bundle[mime] = isJsonMime(mime) ? (typeof value === 'string' ? parseJson(value, `${path}.data.${mime}`) : value) : joined(value as Multiline, `${path}.data.${mime}`);
      }
      return bundle as MimeBundle;
    }
    case 'stream':
      return { 'text/plain': joined(o.text, `${path}.text`) };
    case 'error': {
      const err: ErrorOutput = { name: String(o.ename ?? 'Error'), message: String(o.evalue ?? '') };
      const at = (o.traceback ?? []).map(stripAnsi).join('\n').match(/at cell line (\d+)(?:, column (\d+))?/);
      if (at) {
        err.line = Number(at[1]);
        if (at[2]) err.column = Number(at[2]);
      }
      return { [ERROR_MIME]: err, 'text/plain': errorText(err) };
    }
    default:
      throw bad(`${path}.output_type`, `unknown output type ${JSON.stringify((o as { output_type?: unknown })?.output_type)}`);
  }
}

/** JSON-valued MIME types are stored as JSON objects in nbformat, everything else as text. */
function isJsonMime(mime: string): boolean {
  return mime === 'application/json' || mime.endsWith('+json');
}

/** nbformat's multiline strings: a list of lines, each keeping its "\n". */
function lines(text: string): string[] {
  return text === '' ? [] : text.split(/(?<=\n)/);
}

function joined(value: Multiline | undefined, path: string): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join('');
  throw bad(path, 'expected a string or a list of strings');
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw bad(path, 'not valid JSON');
  }
}

function stripAnsi(s: string): string {
  // Jupyter tracebacks colour their text with ANSI escapes.
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;]*m/g, '');
}

function bad(path: string, message: string): FlywheelError {
  return new FlywheelError('bad_input', `${path}: ${message}`, [{ path, message }]);
}
