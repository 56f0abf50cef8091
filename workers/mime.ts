/** How the kernel shows a value: a MIME bundle with the richest form that fits (table, chart, text). */
import type { Table } from '../core/data/table';
import { toRows } from '../core/data/table';
import type { ChartOutput, MimeBundle, TableOutput } from './protocol';

/** Rows sent to the page for a table output; the rest are counted, not copied. */
const MAX_TABLE_ROWS = 1000;
const MIME_KEYS = ['text/plain', 'text/markdown', 'text/html', 'image/png', 'application/vnd.flywheel.table+json', 'application/vnd.flywheel.chart+json', 'application/vnd.flywheel.error+json'];

export function toMime(value: unknown): MimeBundle {
  if (value && typeof value === 'object') {
    if (Object.keys(value).some((k) => MIME_KEYS.includes(k))) return value as MimeBundle;
    if (isTable(value)) return { 'application/vnd.flywheel.table+json': tableOutput(toRows(value, MAX_TABLE_ROWS), value.rowCount), 'text/plain': `Table: ${value.rowCount} rows × ${value.columns.length} columns` };
    if (isChart(value)) return { 'application/vnd.flywheel.chart+json': value, 'text/plain': `${value.mark} chart of ${value.y} by ${value.x}` };
    if (Array.isArray(value) && value.length > 0 && value.every((r) => r && typeof r === 'object' && !Array.isArray(r))) {
      return { 'application/vnd.flywheel.table+json': tableOutput(value.slice(0, MAX_TABLE_ROWS) as Record<string, unknown>[], value.length), 'text/plain': `${value.length} rows` };
    }
    if (typeof (value as { toString?: unknown }).toString === 'function' && 'dataSync' in value) return { 'text/plain': String(value) };
  }
  return { 'text/plain': describe(value) };
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'function') return `ƒ ${value.name || '(anonymous)'}()`;
  try {
    return JSON.stringify(value, (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>).slice(0, 100) : v), 2) ?? String(value);
  } catch {
    return String(value);
  }
}

function isTable(v: object): v is Table {
  return 'rowCount' in v && 'columns' in v && Array.isArray((v as Table).columns);
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
