/**
 * Migrations on D1, in step with `wrangler d1 migrations apply`: the Worker migrates on its own (on
 * the first request of each isolate), and an operator may also apply the same files with wrangler
 * beforehand. The two record what they applied in different tables, so each is told about the other.
 */
import { isFlywheelError } from '../../core/errors';
import { migrate, type Migration } from './migrate';
import type { SqlDatabase } from './sql';

/** Wrangler's table of applied migrations (its `migrations_table` default), with wrangler's own schema. */
export const WRANGLER_MIGRATIONS_TABLE = 'd1_migrations';
/** Isolates that start together race to apply a migration; the loser's batch fails and it reads again. */
const MIGRATE_ATTEMPTS = 3;

/**
 * Brings a D1 database up to date with `migrations` and returns the names applied by this call. Fast
 * path: one query, when `_migrations` already lists every migration. Otherwise it first copies
 * wrangler's records into `_migrations` (so files wrangler applied are not applied again), applies
 * what is missing with `migrate` (each migration one atomic batch; a batch that lost a race with
 * another isolate is retried after reading again), then records everything in wrangler's table (so
 * a later `wrangler d1 migrations apply` skips them too).
 */
export async function migrateD1(db: SqlDatabase, migrations: Migration[]): Promise<string[]> {
  const applied = await db.all<{ name: string }>('SELECT name FROM _migrations').catch(() => null);
  if (applied) {
    const names = new Set(applied.map((r) => r.name));
    if (migrations.every((m) => names.has(m.name))) return [];
  }
  await migrate(db, []); // creates `_migrations` when it is missing
  await db.run(
    `CREATE TABLE IF NOT EXISTS ${WRANGLER_MIGRATIONS_TABLE} (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)`,
  );
  await db.run(
    `INSERT OR IGNORE INTO _migrations (name, applied_at) SELECT name, applied_at FROM ${WRANGLER_MIGRATIONS_TABLE} WHERE name IS NOT NULL`,
  );
  let done: string[] = [];
  for (let attempt = 1; ; attempt++) {
    try {
      done = await migrate(db, migrations);
      break;
    } catch (e) {
      if (attempt >= MIGRATE_ATTEMPTS || !isFlywheelError(e) || e.code !== 'internal') throw e;
    }
  }
  await db.run(`INSERT OR IGNORE INTO ${WRANGLER_MIGRATIONS_TABLE} (name) SELECT name FROM _migrations ORDER BY name`);
  return done;
}
