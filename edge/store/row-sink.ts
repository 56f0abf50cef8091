/**
 * The row-sink port: where the edge's bulk writes go (the prediction log's rows, telemetry rollups).
 * One implementation per runtime: `sqlRowSink` writes through the SQL port from the caller's thread
 * (D1; SQLite without a background thread), Node's SQLite adapter writes on its own thread
 * (edge/store/sqlite-thread.ts). The log and the monitor write through this port alone.
 */
import { yieldToIo } from '../yield-to-io';
import { unpackRows, type PackedRows } from './packed-rows';
import type { SqlDatabase, SqlStatement, SqlValue } from './sql';

/** An INSERT of rows: `${into} VALUES (?, …)[, (?, …)…] ${onConflict}`. */
export interface RowInsert {
  /** `INSERT [OR IGNORE] INTO table (column, …)`. */
  into: string;
  /** Parameters per row. */
  columns: number;
  /** An upsert clause after the values, if any. */
  onConflict?: string;
}

export interface RowSink {
  /**
   * Inserts the rows, in several transactions: not atomic as a whole, so make the insert idempotent
   * (INSERT OR IGNORE, an upsert of a total) and retry all of it on failure.
   *
   * `jsonColumns` names parameters (by index) that hold plain data instead of a SQL value: each is
   * bound as its JSON text, made where the write happens (on Node's thread, since formatting a large
   * object's numbers is what such a write mostly costs). `rows` may come packed into bytes
   * (edge/store/packed-rows.ts), which a queue can hold without burdening the garbage collector.
   */
  write(insert: RowInsert, rows: unknown[][] | PackedRows, jsonColumns?: readonly number[]): Promise<void>;
  /** Whether writes happen off the caller's thread: then rows are worth handing over as soon as there are some. */
  readonly offThread: boolean;
}

/** Rows per transaction before the write yields: about a millisecond of SQLite work on a slow core. */
export const SLICE_ROWS = 128;
/** Parameters one statement may bind on D1. */
const MAX_PARAMS = 100;

/** The SQL of an insert of `rows` rows. */
export function insertSql(insert: RowInsert, rows = 1): string {
  const values = `(${Array.from({ length: insert.columns }, () => '?').join(', ')})`;
  return `${insert.into} VALUES ${Array.from({ length: rows }, () => values).join(', ')}${insert.onConflict ? ` ${insert.onConflict}` : ''}`;
}
/** JSON formatting between yields, in ms: well under the edge's 5 ms p99 target. */
const JSON_SLICE_MS = 0.5;

/**
 * The sink of a runtime without a writer thread: slices of SLICE_ROWS rows, one `batch` each, the
 * event loop let in between; as many rows per statement as D1 binds parameters (its queries per
 * invocation are counted too).
 */
export function sqlRowSink(db: SqlDatabase): RowSink {
  return {
    offThread: false,
    async write(insert, rows, jsonColumns = []) {
      const list = Array.isArray(rows) ? rows : unpackRows(rows);
      const perStatement = Math.max(1, Math.floor(MAX_PARAMS / insert.columns));
      for (let from = 0; from < list.length; from += SLICE_ROWS) {
        if (from > 0) await yieldToIo();
        const statements: SqlStatement[] = [];
        const to = Math.min(list.length, from + SLICE_ROWS);
        for (let i = from; i < to; i += perStatement) {
          const end = Math.min(to, i + perStatement);
          const params: SqlValue[] = [];
          for (let j = i; j < end; j++)
            params.push(...(jsonColumns.length ? await withJsonText(list[j], jsonColumns) : (list[j] as SqlValue[])));
          statements.push({ sql: insertSql(insert, end - i), params });
        }
        await db.batch(statements);
      }
    },
  };
}

/** A row with its JSON columns as text (a copy). */
async function withJsonText(row: unknown[], jsonColumns: readonly number[]): Promise<SqlValue[]> {
  const out = row.slice();
  for (const c of jsonColumns) out[c] = await slicedJson(out[c]);
  return out as SqlValue[];
}

/**
 * `JSON.stringify(value)`, made a member at a time (two levels down) with the event loop let in
 * between: a busy minute's rollup carries a 1,000-value reservoir per feature, and formatting it in
 * one call held the edge for milliseconds.
 */
export async function slicedJson(
  value: unknown,
  depth = 2,
  clock = { sliceStart: performance.now() },
): Promise<string> {
  if (
    depth === 0 ||
    value === null ||
    typeof value !== 'object' ||
    Array.isArray(value) ||
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  )
    return JSON.stringify(value) ?? 'null';
  const parts: string[] = [];
  for (const [key, member] of Object.entries(value)) {
    if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
    if (performance.now() - clock.sliceStart > JSON_SLICE_MS) {
      await yieldToIo();
      clock.sliceStart = performance.now();
    }
    parts.push(`${JSON.stringify(key)}:${await slicedJson(member, depth - 1, clock)}`);
  }
  return `{${parts.join(',')}}`;
}
