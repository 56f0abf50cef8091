/** How the kernel shows a value: a MIME bundle with the richest form that fits (table, chart, text). */
import type { Table } from '../core/data/table';
import { toRows } from '../core/data/table';
import type { TableProfile } from '../core/features';
import type { ChartOutput, MimeBundle, StreamOutput, TableOutput } from './protocol';

/** Rows sent to the page for a table output; the rest are counted, not copied. */
const MAX_TABLE_ROWS = 1000;
const MIME_KEYS = [
  'text/plain',
  'text/markdown',
  'text/html',
  'image/png',
  'image/svg+xml',
  'application/vnd.flywheel.table+json',
  'application/vnd.flywheel.chart+json',
  'application/vnd.flywheel.error+json',
  'application/vnd.flywheel.profile+json',
];
export const STREAM_MIME = 'application/vnd.flywheel.stream+json';

export function toMime(value: unknown): MimeBundle {
  if (value && typeof value === 'object') {
    if (Object.keys(value).some((k) => MIME_KEYS.includes(k))) return value as MimeBundle;
    if (isProfile(value))
      return {
        'application/vnd.flywheel.profile+json': value,
        'text/plain': `Profile: ${value.rowCount} rows × ${value.columns.length} columns`,
      };
    if (isTable(value))
      return {
        'application/vnd.flywheel.table+json': tableOutput(toRows(value, MAX_TABLE_ROWS), value.rowCount),
        'text/plain': `Table: ${value.rowCount} rows × ${value.columns.length} columns`,
      };
    if (isChart(value))
      return {
        'application/vnd.flywheel.chart+json': value,
        'text/plain': `${value.mark} chart of ${value.y} by ${value.x}`,
      };
    if (
      Array.isArray(value) &&
      value.length > 0 &&
      value.every((r) => r && typeof r === 'object' && !Array.isArray(r))
    ) {
      return {
        'application/vnd.flywheel.table+json': tableOutput(
          value.slice(0, MAX_TABLE_ROWS) as Record<string, unknown>[],
          value.length,
        ),
        'text/plain': `${value.length} rows`,
      };
    }
    if (typeof (value as { toString?: unknown }).toString === 'function' && 'dataSync' in value)
      return { 'text/plain': String(value) };
  }
  return { 'text/plain': describe(value) };
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'function') return `ƒ ${value.name || '(anonymous)'}()`;
  try {
    return (
      JSON.stringify(
        value,
        (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>).slice(0, 100) : v),
        2,
      ) ?? String(value)
    );
  } catch {
    return String(value);
  }
}

function isTable(v: object): v is Table {
  const t = v as Table;
  return (
    typeof t.rowCount === 'number' &&
    Array.isArray(t.columns) &&
    t.columns.every((c) => c && ((c.kind === 'number' && 'values' in c) || (c.kind === 'string' && 'codes' in c)))
  );
}

/** A `profile(table)` result: it has a table's `rowCount` and `columns`, but its columns are statistics. */
function isProfile(v: object): v is TableProfile {
  const p = v as TableProfile;
  return (
    typeof p.rowCount === 'number' &&
    Array.isArray(p.columns) &&
    p.columns.length > 0 &&
    p.columns.every(
      (c) =>
        c &&
        (c.type === 'number' || c.type === 'string') &&
        typeof c.count === 'number' &&
        typeof c.missing === 'number',
    )
  );
}

/** What `console.log(...args)` prints, as the browser's console would for the usual values. */
export function consoleText(args: unknown[]): string {
  return (
    args
      .map((a) => (typeof a === 'string' ? a : a instanceof Error ? `${a.name}: ${a.message}` : describe(a)))
      .join(' ') + '\n'
  );
}

/** A stream output: what a cell wrote to stdout (log, info) or stderr (warn, error). */
export function streamBundle(name: StreamOutput['name'], text: string): MimeBundle {
  return { [STREAM_MIME]: { name, text } };
}

/**
 * Adds an output to a cell's list as Jupyter does: text written to the same stream back to back
 * joins the stream output before it, so a loop of `console.log` is one block, not a thousand.
 */
export function appendOutput(outputs: MimeBundle[], output: MimeBundle): MimeBundle[] {
  const last = outputs[outputs.length - 1]?.[STREAM_MIME];
  const next = output[STREAM_MIME];
  if (last && next && last.name === next.name)
    return [...outputs.slice(0, -1), streamBundle(next.name, last.text + next.text)];
  return [...outputs, output];
}

function isChart(v: object): v is ChartOutput {
  const c = v as ChartOutput;
  return typeof c.mark === 'string' && Array.isArray(c.data) && typeof c.x === 'string' && typeof c.y === 'string';
}

function tableOutput(rows: Record<string, unknown>[], total: number): TableOutput {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return { columns, rows: rows.map((r) => columns.map((c) => cell(r[c]))), total };
}

function cell(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}
