/** What this browser keeps (counts per table) and wiping it: Settings' "clear local data". */
import { db } from '../../lib/db';

export interface LocalCounts {
  notebooks: number;
  datasets: number;
  runs: number;
  models: number;
}

/** How many notebooks, datasets, runs and models this browser holds: what clearing would delete. */
export async function localCounts(): Promise<LocalCounts> {
  const [notebooks, datasets, runs, models] = await Promise.all([
    db.notebooks.count(),
    db.datasets.count(),
    db.runs.count(),
    db.models.count(),
  ]);
  return { notebooks, datasets, runs, models };
}

/** Empties every table, settings and saved keys included, in one transaction. */
export async function clearLocalData(): Promise<void> {
  await db.transaction('rw', [db.notebooks, db.datasets, db.runs, db.models, db.settings], async () => {
    await Promise.all([
      db.notebooks.clear(),
      db.datasets.clear(),
      db.runs.clear(),
      db.models.clear(),
      db.settings.clear(),
    ]);
  });
}
