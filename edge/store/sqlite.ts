/**
 * The SQL port on Node: better-sqlite3 (synchronous, in-process) behind the async `SqlDatabase`
 * interface, tuned for a single-machine service (WAL, synchronous=NORMAL, foreign keys on).
 */
import Database from 'better-sqlite3';
import type { SqlDatabase, SqlStatement, SqlValue } from './sql';
import { startCheckpointer, type Checkpointer } from './sqlite-checkpointer';
import { SqlError } from './sql-error';

export interface SqliteOptions {
  /** Checkpoint the WAL on a worker thread instead of inside commits (sqlite-checkpointer.ts says why); for a long-running server. */
  backgroundCheckpoints?: boolean;
}

/** How long a write waits for another connection's lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5_000;
/** SQLite's own default, restored if the background checkpoint thread fails. */
const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;
/** Prepared statements kept per connection; repositories use a few dozen fixed statements, so this only bounds ad-hoc SQL. */
const STATEMENT_CACHE_SIZE = 256;

/**
 * Opens (creating if needed) a SQLite database file, or a private in-memory one for `':memory:'`.
 * WAL lets readers run while a writer commits; `synchronous=NORMAL` under WAL loses at most the last
 * commits on power loss, never consistency; `foreign_keys=ON` matches D1, which always enforces them.
 * Statements are prepared once and cached by their SQL text. Failures of SQLite itself are rethrown
 * as `SqlError` with the extended result code (e.g. `SQLITE_CONSTRAINT_UNIQUE`) on `code`.
 */
export function openSqlite(file: string, options: SqliteOptions = {}): SqlDatabase {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  let checkpointer: Checkpointer | null = null;
  if (options.backgroundCheckpoints && file !== ':memory:') {
    db.pragma('wal_autocheckpoint = 0');
    checkpointer = startCheckpointer(file, (e) => {
      console.error('flywheel: the SQLite checkpoint thread failed; checkpointing in commits again:', e.message);
      checkpointer = null;
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

  const runOne = ({ sql, params = [] }: SqlStatement): { changes: number } => ({ changes: prepare(sql).run(params).changes });

  return {
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
      await checkpointer?.stop();
      statements.clear();
      db.close();
    },
  };
}

function withSqlErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof Database.SqliteError) throw new SqlError(e.code, e.message, { cause: e });
    throw e;
  }
}
