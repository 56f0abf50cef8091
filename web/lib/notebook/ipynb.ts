/**
 * `.ipynb` (nbformat 4.5) import and export. Markdown and raw cells keep their kind, code cells their
 * outputs: a cell's value is an `execute_result`, `display()` a `display_data`, console text a
 * `stream`, a plain error an `error` (another kernel's traceback kept with its colours). Cell
 * metadata (`tags`…), markdown attachments, output metadata and the notebook's kernelspec survive a
 * round trip. A pipeline cell is a code cell marked `metadata.flywheel.kind = 'pipeline'` whose
 * source is the spec JSON. Flywheel's own outputs (tables, charts, profiles) also carry `text/html` or
 * `image/svg+xml` so Jupyter shows them; those copies are dropped again on import.
 */
import { FlywheelError } from '../../../core/errors';
import type { ChartOutput, ErrorOutput, MimeBundle, OutputEnvelope } from '../../../workers/protocol';
import type { Cell, CellKind, CellStatus, Notebook } from '../db';
import { jupyterFallbacks } from './ipynb-fallbacks';

export const KERNELSPEC = {
  name: 'flywheel-js',
  display_name: 'JavaScript (Flywheel)',
  language: 'javascript',
} as const;
const ERROR_MIME = 'application/vnd.flywheel.error+json';
const STREAM_MIME = 'application/vnd.flywheel.stream+json';
const ENVELOPE_MIME = 'application/vnd.flywheel.output+json';
/** What Jupyter's `error` output can carry of an ErrorOutput (the position rides in the traceback). */
const ERROR_KEYS = ['name', 'message', 'line', 'column', 'traceback'];

type Multiline = string | string[];
type Metadata = Record<string, unknown>;
type JupyterOutput =
  | { output_type: 'display_data'; data: Record<string, unknown>; metadata: Metadata }
  | { output_type: 'execute_result'; data: Record<string, unknown>; metadata: Metadata; execution_count: number | null }
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
  attachments?: Record<string, Record<string, string>>;
  outputs?: JupyterOutput[];
  execution_count?: number | null;
}

export interface Ipynb {
  nbformat: number;
  nbformat_minor: number;
  metadata: { kernelspec?: unknown; language_info?: unknown; flywheel?: { title?: string }; [key: string]: unknown };
  cells: IpynbCell[];
}

export interface ExportOptions {
  /** Draws a chart output as standalone SVG text, Jupyter's fallback for it (the browser passes Plot's). */
  chartSvg?: (chart: ChartOutput) => string;
}

/**
 * The language a notebook's code cells are written in, from its kernelspec or language_info
 * ('javascript' for Flywheel's own notebooks).
 */
export function notebookLanguage(nb: Pick<Notebook, 'metadata'>): string {
  const spec = nb.metadata?.kernelspec as { language?: unknown } | undefined;
  const info = nb.metadata?.language_info as { name?: unknown } | undefined;
  const lang =
    typeof spec?.language === 'string' ? spec.language : typeof info?.name === 'string' ? info.name : 'javascript';
  return lang.toLowerCase();
}

/** The kernel's name as the notebook's author saw it ("Python 3 (ipykernel)"). */
export function kernelDisplayName(nb: Pick<Notebook, 'metadata'>): string {
  const spec = nb.metadata?.kernelspec as { display_name?: unknown; name?: unknown } | undefined;
  return String(spec?.display_name ?? spec?.name ?? notebookLanguage(nb));
}

/** A notebook as nbformat 4.5 JSON (an object; `JSON.stringify` it to save). */
export function toIpynb(nb: Notebook, options: ExportOptions = {}): Ipynb {
  const seen = new Set<number>();
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { ...KERNELSPEC },
      language_info: { name: 'javascript' },
      ...nb.metadata,
      flywheel: { title: nb.title },
    },
    cells: nb.cells.map((c) => exportCell(c, seen, options)),
  };
}

function exportCell(cell: Cell, seen: Set<number>, options: ExportOptions): IpynbCell {
  const flywheel: FlywheelCellMeta = { kind: cell.kind, status: settled(cell.status) };
  if (cell.durationMs !== undefined) flywheel.durationMs = cell.durationMs;
  const metadata = { ...cell.metadata, flywheel };
  const base = { id: cell.id, metadata, source: lines(cell.source) };
  if (cell.kind === 'markdown' || cell.kind === 'raw') {
    return { ...base, cell_type: cell.kind, ...(cell.attachments ? { attachments: cell.attachments } : {}) };
  }
  // Counts restart with the kernel; Jupyter readers expect each to name one cell.
  let count = cell.executionCount ?? null;
  if (count !== null && seen.has(count)) count = null;
  if (count !== null) seen.add(count);
  return {
    ...base,
    cell_type: 'code',
    execution_count: count,
    outputs: cell.outputs.map((o) => exportOutput(o, count, options)),
  };
}

/** A cell saved while queued or running will not be running when the file is opened again. */
function settled(status: CellStatus): CellStatus {
  return status === 'queued' || status === 'running' ? 'idle' : status;
}

function exportOutput(bundle: MimeBundle, count: number | null, options: ExportOptions): JupyterOutput {
  const stream = bundle[STREAM_MIME];
  if (stream) return { output_type: 'stream', name: stream.name, text: lines(stream.text) };
  const err = bundle[ERROR_MIME];
  // Only a bundle that `error` can carry in full becomes one; anything richer stays display_data.
  if (
    err &&
    Object.keys(bundle).length === 2 &&
    bundle['text/plain'] === errorText(err) &&
    Object.keys(err).every((k) => ERROR_KEYS.includes(k))
  ) {
    return { output_type: 'error', ename: err.name, evalue: err.message, traceback: err.traceback ?? traceback(err) };
  }
  const { [ENVELOPE_MIME]: envelope, ...mimes } = bundle;
  const fallbacks = jupyterFallbacks(bundle, options.chartSvg);
  const data: Record<string, unknown> = {};
  for (const [mime, value] of Object.entries({ ...mimes, ...fallbacks }))
    data[mime] = typeof value === 'string' && !isJsonMime(mime) && !isBase64Mime(mime) ? lines(value) : value;
  const metadata: Metadata = { ...envelope?.metadata };
  const derived = Object.keys(fallbacks);
  if (derived.length) metadata.flywheel = { derived };
  if (envelope?.type === 'execute_result')
    return { output_type: 'execute_result', data, metadata, execution_count: count };
  return { output_type: 'display_data', data, metadata };
}

/** The text the kernel gives an error: "ReferenceError: x is not defined (line 3)". */
export function errorText(err: ErrorOutput): string {
  return `${err.name}: ${err.message}${err.line !== undefined ? ` (line ${err.line})` : ''}`;
}

function traceback(err: ErrorOutput): string[] {
  const out = [`${err.name}: ${err.message}`];
  if (err.line !== undefined)
    out.push(`    at cell line ${err.line}${err.column !== undefined ? `, column ${err.column}` : ''}`);
  return out;
}

/**
 * Reads a `.ipynb` document (parsed JSON). Foreign notebooks load too, outputs and all; their
 * kernelspec is kept (see `notebookLanguage`). Throws `bad_input` naming the path of what is not a
 * notebook.
 */
export function fromIpynb(doc: unknown, fallbackTitle: string, now: number, newId: () => string): Notebook {
  const nb = doc as Partial<Ipynb> | null;
  if (!nb || typeof nb !== 'object' || !Array.isArray(nb.cells))
    throw bad('cells', 'not a Jupyter notebook: there is no "cells" list');
  if (typeof nb.nbformat !== 'number' || nb.nbformat < 4)
    throw bad('nbformat', `only nbformat 4 notebooks can be imported (this one says ${String(nb.nbformat)})`);
  const ids = new Set<string>();
  const cells = nb.cells.map((c, i) => importCell(c, `cells[${i}]`, newId, ids));
  const { flywheel, ...metadata } = nb.metadata ?? {};
  const title = typeof flywheel?.title === 'string' && flywheel.title ? flywheel.title : fallbackTitle;
  const out: Notebook = { id: newId(), title, cells, createdAt: now, updatedAt: now };
  if (notebookLanguage({ metadata }) !== 'javascript') out.metadata = metadata;
  return out;
}

function importCell(c: IpynbCell, path: string, newId: () => string, ids: Set<string>): Cell {
  if (!c || typeof c !== 'object') throw bad(path, 'a cell must be an object');
  if (!['markdown', 'code', 'raw'].includes(c.cell_type))
    throw bad(`${path}.cell_type`, `unknown cell type ${JSON.stringify(c.cell_type)}`);
  const source = joined(c.source, `${path}.source`);
  const { flywheel: meta = {}, ...jupyterMeta } = c.metadata ?? {};
  let id = typeof c.id === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(c.id) ? c.id : newId();
  if (ids.has(id)) id = newId();
  ids.add(id);
  const status = meta.status ? settled(meta.status) : 'idle';
  const cell: Cell = {
    id,
    kind: c.cell_type === 'code' ? (meta.kind === 'pipeline' ? 'pipeline' : 'code') : c.cell_type,
    source,
    outputs: [],
    status,
  };
  if (typeof meta.durationMs === 'number') cell.durationMs = meta.durationMs;
  if (c.cell_type === 'code') {
    cell.outputs = (Array.isArray(c.outputs) ? c.outputs : []).map((o, j) => importOutput(o, `${path}.outputs[${j}]`));
    if (typeof c.execution_count === 'number') cell.executionCount = c.execution_count;
  }
  if (Object.keys(jupyterMeta).length) cell.metadata = jupyterMeta;
  if (c.attachments && typeof c.attachments === 'object') cell.attachments = c.attachments;
  return cell;
}

function importOutput(o: JupyterOutput, path: string): MimeBundle {
  switch (o?.output_type) {
    case 'display_data':
    case 'execute_result': {
      const { flywheel, ...metadata } = (o.metadata ?? {}) as Metadata & { flywheel?: { derived?: string[] } };
      const derived = new Set(flywheel?.derived ?? []);
      const bundle: Record<string, unknown> = {};
      for (const [mime, value] of Object.entries(o.data ?? {})) {
        if (derived.has(mime)) continue;
        bundle[mime] = isJsonMime(mime)
          ? typeof value === 'string'
            ? parseJson(value, `${path}.data.${mime}`)
            : value
          : joined(value as Multiline, `${path}.data.${mime}`);
      }
      const hasMeta = Object.keys(metadata).length > 0;
      if (o.output_type === 'execute_result' || hasMeta) {
        const envelope: OutputEnvelope = { type: o.output_type };
        if (hasMeta) envelope.metadata = metadata;
        bundle[ENVELOPE_MIME] = envelope;
      }
      return bundle as MimeBundle;
    }
    case 'stream':
      return {
        [STREAM_MIME]: { name: o.name === 'stderr' ? 'stderr' : 'stdout', text: joined(o.text, `${path}.text`) },
      };
    case 'error': {
      const err: ErrorOutput = { name: String(o.ename ?? 'Error'), message: String(o.evalue ?? '') };
      const lines = Array.isArray(o.traceback) ? o.traceback.map(String) : [];
      const at = lines
        .map(stripAnsi)
        .join('\n')
        .match(/at cell line (\d+)(?:, column (\d+))?/);
      if (at) {
        err.line = Number(at[1]);
        if (at[2]) err.column = Number(at[2]);
      }
      // Another kernel's traceback is the best account of the error there is; ours is made from the rest.
      if (lines.length && JSON.stringify(lines) !== JSON.stringify(traceback(err))) err.traceback = lines;
      return { [ERROR_MIME]: err, 'text/plain': errorText(err) };
    }
    default:
      throw bad(
        `${path}.output_type`,
        `unknown output type ${JSON.stringify((o as { output_type?: unknown })?.output_type)}`,
      );
  }
}

/** JSON-valued MIME types are stored as JSON objects in nbformat, everything else as text. */
function isJsonMime(mime: string): boolean {
  return mime === 'application/json' || mime.endsWith('+json');
}

/** Binary data is base64 in nbformat, one string as Jupyter writes it. */
function isBase64Mime(mime: string): boolean {
  return mime.startsWith('image/') && mime !== 'image/svg+xml';
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
  // eslint-disable-next-line no-control-regex -- Jupyter tracebacks colour their text with ANSI escapes (ESC is a control character)
  return s.replace(/\u001b\[[0-9;]*m/g, '');
}

function bad(path: string, message: string): FlywheelError {
  return new FlywheelError('bad_input', `${path}: ${message}`, [{ path, message }]);
}
