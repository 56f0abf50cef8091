/**
 * The SQL port: the one small async interface every repository is written against, so the same
 * repository code runs on SQLite (Node, better-sqlite3) and on Cloudflare D1.
 *
 * Dialect: what SQLite and D1 both accept (D1 is SQLite): `?` positional parameters only (no named
 * `:name` / `$name` parameters), one statement per call, no `BEGIN`/`COMMIT`/`SAVEPOINT` (use
 * `batch` for atomicity), no `PRAGMA` in repositories (adapters set what they need).
 */
/**
 * A value that binds to a `?` or comes back in a row. Booleans and bigints are not SQL values on
 * every runtime: store booleans as 0/1. Blobs come back as `Uint8Array` (on Node, a Buffer, which is
 * one).
 */
export type SqlValue = string | number | null | Uint8Array;

export interface SqlStatement {
  sql: string;
  params?: SqlValue[];
}

export interface SqlDatabase {
  /** INSERT/UPDATE/DELETE (or DDL); returns the number of rows changed. */
  run(sql: string, params?: SqlValue[]): Promise<{ changes: number }>;
  /** Every row of a query, in the order the query gives them; `[]` for a statement that returns none. */
  all<T = Record<string, SqlValue>>(sql: string, params?: SqlValue[]): Promise<T[]>;
  /** The first row of a query, or null when it has none. */
  first<T = Record<string, SqlValue>>(sql: string, params?: SqlValue[]): Promise<T | null>;
  /**
   * Runs all statements atomically (one transaction; D1's batch is atomic too): either every
   * statement takes effect or, when one fails, none does and the error is rethrown. Later statements
   * see the writes of earlier ones. Returns the changes per statement, in order.
   */
  batch(statements: SqlStatement[]): Promise<{ changes: number }[]>;
  /** Releases the connection; later calls fail. */
  close(): Promise<void>;
}
