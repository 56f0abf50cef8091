/** Schema migrations over the SQL port, so one set of `.sql` files serves SQLite and D1. */
import { FlywheelError, errorMessage } from '../../core/errors';
import type { SqlDatabase } from './sql';
import { splitSqlStatements } from './split-sql';

export interface Migration {
  /** Unique; migrations apply in the code-unit order of their names (`0001_init.sql`, `0002_...`). */
  name: string;
  sql: string;
}

/** Statements that would fight the transaction each migration already runs in (and D1 rejects). */
const TRANSACTION_CONTROL = /^(BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE)\b/i;

/**
 * Brings a database up to date: applies, in name order, every migration not yet recorded in
 * `_migrations(name, applied_at)`. Each migration runs as one `batch` together with the row that
 * records it, so a migration that fails leaves nothing of itself behind and is retried on the next
 * run, and running `migrate` again applies nothing. Migration files follow `splitSqlStatements`'
 * rules and must not contain BEGIN/COMMIT (the batch is the transaction) or PRAGMAs (D1 refuses most).
 * Rows of `_migrations` that no longer match a file are left alone. Meant to run once at startup,
 * from one process. Returns the names applied by this call.
 */
export async function migrate(db: SqlDatabase, migrations: Migration[]): Promise<string[]> {
  const seen = new Set<string>();
  for (const m of migrations) {
    if (seen.has(m.name))
      throw new FlywheelError('bad_input', `two migrations are named ${m.name}`, [
        { path: m.name, message: 'duplicate migration name' },
      ]);
    seen.add(m.name);
  }
  await db.run('CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  const applied = new Set((await db.all<{ name: string }>('SELECT name FROM _migrations')).map((r) => r.name));
  const pending = migrations
    .filter((m) => !applied.has(m.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const done: string[] = [];
  for (const m of pending) {
    const statements = splitSqlStatements(m.sql);
    const control = statements.findIndex((s) => TRANSACTION_CONTROL.test(s));
    if (control >= 0) {
      throw new FlywheelError(
        'bad_input',
        `migration ${m.name}: statement ${control + 1} controls the transaction; each migration already runs in one, remove it`,
        [{ path: m.name, message: statements[control].slice(0, 80) }],
      );
    }
    try {
      await db.batch([
        ...statements.map((sql) => ({ sql })),
        {
          sql: "INSERT INTO _migrations (name, applied_at) VALUES (?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
          params: [m.name],
        },
      ]);
    } catch (e) {
      throw new FlywheelError('internal', `migration ${m.name} failed and was not applied: ${errorMessage(e)}`, [
        { path: m.name, message: errorMessage(e) },
      ]);
    }
    done.push(m.name);
  }
  return done;
}
