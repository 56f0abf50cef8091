import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolloutContract } from './rollout.contract';
import { migrate, openSqlite, readMigrations } from './store';

const migrations = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

rolloutContract('SQLite', async () => {
  const db = openSqlite(':memory:');
  await migrate(db, await readMigrations(migrations));
  return db;
});
