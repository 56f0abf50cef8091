/**
 * The SQL port on Cloudflare Workers: D1 (SQLite run by Cloudflare) behind the same async
 * `SqlDatabase` interface as better-sqlite3, so every repository runs unchanged on both.
 */
import type { SqlDatabase, SqlStatement, SqlValue } from './sql';
import { SqlError } from './sql-error';

/**
 * The parts of Cloudflare's `D1Database` binding this adapter uses, declared here because the
 * `@cloudflare/workers-types` package is not a dependency. Miniflare's `getD1Database` proxy fits too.
 */
export interface D1Database {
  prepare(sql: string): D1PreparedStatement;
  batch(statements: D1PreparedStatement[]): Promise<D1Result[]>;
}

export interface D1PreparedStatement {
  bind(...values: unknown[]): D1PreparedStatement;
  run(): Promise<D1Result>;
  all(): Promise<D1Result>;
  first(): Promise<Record<string, unknown> | null>;
}

export interface D1Result {
  results?: Record<string, unknown>[];
  meta: { changes?: number };
}

/** D1's errors read "D1_ERROR: <SQLite message>: SQLITE_X (extended: SQLITE_X_Y)"; older ones end after the message. */
const D1_PREFIX = /^D1_[A-Z_]+:\s*/;
const EXTENDED_CODE = /\(extended: (SQLITE_[A-Z_]+)\)\s*$/;
const TRAILING_CODE = /:\s*(SQLITE_[A-Z_]+)(\s*\(extended: SQLITE_[A-Z_]+\))?\s*$/;
/** SQLite's messages, for D1 errors that carry no code: the first match names the extended code. */
const MESSAGE_CODES: [RegExp, string][] = [
  [/UNIQUE constraint failed/i, 'SQLITE_CONSTRAINT_UNIQUE'],
  [/FOREIGN KEY constraint failed/i, 'SQLITE_CONSTRAINT_FOREIGNKEY'],
  [/NOT NULL constraint failed/i, 'SQLITE_CONSTRAINT_NOTNULL'],
  [/CHECK constraint failed/i, 'SQLITE_CONSTRAINT_CHECK'],
  [/string or blob too big|statement too long/i, 'SQLITE_TOOBIG'],
  [/database is locked|SQLITE_BUSY/i, 'SQLITE_BUSY'],
];

/**
 * A `SqlDatabase` over a D1 binding. `batch` is D1's `batch`, which runs its statements in one
 * transaction (all or nothing, as the port requires). D1 returns BLOBs as arrays of byte numbers;
 * they come back here as `Uint8Array`, as on SQLite. Failures of D1 (its `D1_*` errors) become
 * `SqlError` with SQLite's extended code, taken from D1's "(extended: ...)" suffix or, failing that,
 * from SQLite's message ("UNIQUE constraint failed" → `SQLITE_CONSTRAINT_UNIQUE`). `close` only
 * marks the adapter closed (the binding belongs to the runtime); later calls fail.
 */
export function d1Database(binding: D1Database): SqlDatabase {
  let closed = false;
  const prepare = ({ sql, params = [] }: SqlStatement): D1PreparedStatement => {
    if (closed) throw new Error('the D1 database adapter is closed');
    return params.length ? binding.prepare(sql).bind(...params) : binding.prepare(sql);
  };
  return {
    async run(sql, params) {
      const result = await withSqlErrors(() => prepare({ sql, params }).run());
      return { changes: result.meta.changes ?? 0 };
    },
    async all<T>(sql: string, params: SqlValue[] = []) {
      const result = await withSqlErrors(() => prepare({ sql, params }).all());
      return (result.results ?? []).map(toRow) as T[];
    },
    async first<T>(sql: string, params: SqlValue[] = []) {
      const row = await withSqlErrors(() => prepare({ sql, params }).first());
      return row ? (toRow(row) as T) : null;
    },
    async batch(statements) {
      // D1 refuses an empty batch; the port's answer for one is an empty list.
      if (statements.length === 0) return [];
      const results = await withSqlErrors(() => binding.batch(statements.map(prepare)));
      return results.map((r) => ({ changes: r.meta.changes ?? 0 }));
    },
    async close() {
      closed = true;
    },
  };
}

/** SQLite's extended result code for a D1 error message. */
export function d1ErrorCode(message: string): string {
  const extended = EXTENDED_CODE.exec(message);
  if (extended) return extended[1];
  for (const [pattern, code] of MESSAGE_CODES) if (pattern.test(message)) return code;
  return TRAILING_CODE.exec(message)?.[1] ?? 'SQLITE_ERROR';
}

function toRow(row: Record<string, unknown>): Record<string, SqlValue> {
  const out: Record<string, SqlValue> = {};
  for (const [k, v] of Object.entries(row))
    out[k] = Array.isArray(v)
      ? Uint8Array.from(v as number[])
      : v instanceof ArrayBuffer
        ? new Uint8Array(v)
        : (v as SqlValue);
  return out;
}

async function withSqlErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (!D1_PREFIX.test(message)) throw e;
    const plain = message.replace(D1_PREFIX, '').replace(TRAILING_CODE, '');
    throw new SqlError(d1ErrorCode(message), plain, { cause: e });
  }
}
