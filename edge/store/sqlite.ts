/**
 * The SQL port on Node: better-sqlite3 (synchronous, in-process) behind the async `SqlDatabase`
 * interface, tuned for a single-machine service (WAL, synchronous=NORMAL, foreign keys on).
 */
import Database from 'better-sqlite3';
import { unpackRows } from './packed-rows';
import { insertSql, sqlRowSink, type RowSink } from './row-sink';
import type { SqlDatabase, SqlStatement, SqlValue } from './sql';
import { startSqliteThread, type SqliteThread } from './sqlite-thread';
import { SqlError } from './sql-error';

export interface SqliteOptions {
  /**
   * Start a background thread with its own connection (sqlite-thread.ts says why): it checkpoints
   * the WAL instead of commits doing it, and writes the rows of `rows`. For a long-running server.
   */
  backgroundThread?: boolean;
}

/** How long a write waits for another connection's lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5_000;
/** Bytes per database page for new files (SQLite's default is 4,096). */
const PAGE_SIZE = 16_384;
/** SQLite's own default, restored if the background checkpoint thread fails. */
const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;
/** Prepared statements kept per connection; repositories use a few dozen fixed statements, so this only bounds ad-hoc SQL. */
const STATEMENT_CACHE_SIZE = 256;

/** A SQLite database, with the row sink that writes on its background thread when it has one. */
export interface SqliteDatabase extends SqlDatabase {
  readonly rows: RowSink;
}

/**
 * Opens (creating if needed) a SQLite database file, or a private in-memory one for `':memory:'`.
 * WAL lets readers run while a writer commits; `synchronous=NORMAL` under WAL loses at most the last
 * commits on power loss, never consistency; `foreign_keys=ON` matches D1, which always enforces them.
 * Statements are prepared once and cached by their SQL text. Failures of SQLite itself are rethrown
 * as `SqlError` with the extended result code (e.g. `SQLITE_CONSTRAINT_UNIQUE`) on `code`.
 */
export function openSqlite(file: string, options: SqliteOptions = {}): SqliteDatabase {
  const db = new Database(file);
  // Only takes effect on a new database (before its first table). The prediction log's rows are
  // ~600 bytes; on 4 KB pages a logged row cost twice what it does on 16 KB ones (bench/edge).
  db.pragma(`page_size = ${PAGE_SIZE}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  let thread: SqliteThread | null = null;
  if (options.backgroundThread && file !== ':memory:') {
    db.pragma('wal_autocheckpoint = 0');
    thread = startSqliteThread(file, (e) => {
      console.error(
        'flywheel: the SQLite background thread failed; writing and checkpointing on the main connection again:',
        e.message,
      );
      thread = null;
      db.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
    });
  }
  const statements = new Map<string, Database.Statement>();

  const prepare = (sql: string): Database.Statement => {
    let stmt = statements.get(sql);
    if (stmt) {
      // Re-insert so the Map's insertion order is least-recently-used first.
      statements.delete(sql);
    } else {
      stmt = db.prepare(sql);
      if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value as string);
    }
    statements.set(sql, stmt);
    return stmt;
  };

  const runOne = ({ sql, params = [] }: SqlStatement): { changes: number } => ({
    changes: prepare(sql).run(params).changes,
  });

  const port: SqlDatabase = {
    async run(sql, params) {
      return withSqlErrors(() => runOne({ sql, params }));
    },
    async all<T>(sql: string, params: SqlValue[] = []) {
      return withSqlErrors(() => {
        const stmt = prepare(sql);
        if (stmt.reader) return stmt.all(params) as T[];
        stmt.run(params);
        return [];
      });
    },
    async first<T>(sql: string, params: SqlValue[] = []) {
      return withSqlErrors(() => {
        const stmt = prepare(sql);
        if (stmt.reader) return (stmt.get(params) as T | undefined) ?? null;
        stmt.run(params);
        return null;
      });
    },
    async batch(list) {
      // IMMEDIATE takes the write lock up front, so a busy database is waited for (busy_timeout)
      // instead of failing mid-transaction when a deferred read lock cannot be upgraded.
      return withSqlErrors(() => db.transaction(() => list.map(runOne)).immediate());
    },
    async close() {
      await thread?.stop();
      statements.clear();
      db.close();
    },
  };
  if (!thread) return { ...port, rows: sqlRowSink(port) };
  const rows: RowSink = {
    offThread: true,
    // Falls back to this connection once the thread has died (then as one transaction).
    async write(insert, list, jsonColumns = []) {
      const text = insertSql(insert);
      if (thread) return thread.runMany(text, list, jsonColumns);
      const params = Array.isArray(list) ? list : unpackRows(list);
      withSqlErrors(() => {
        const stmt = prepare(text);
        db.transaction(() => params.forEach((r) => stmt.run(withJsonText(r, jsonColumns)))).immediate();
      });
    },
  };
  return { ...port, rows };
}

/** A row of parameters for the background thread's writes, with its JSON columns as text (a copy when there are any). */
export function withJsonText(row: unknown[], jsonColumns: readonly number[]): SqlValue[] {
  if (jsonColumns.length === 0) return row as SqlValue[];
  const out = row.slice();
  for (const c of jsonColumns) out[c] = JSON.stringify(out[c]);
  return out as SqlValue[];
}

function withSqlErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof Database.SqliteError) throw new SqlError(e.code, e.message, { cause: e });
    throw e;
  }
}
