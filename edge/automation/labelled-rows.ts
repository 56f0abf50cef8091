/**
 * Labelled rows collected at the edge: logged features joined to the ground truth that came back as
 * feedback, split into the rows runners train on and the verification reserve (./reserve.ts).
 */
import type { Manifest } from '../../core/bundle';
import type { SqlDatabase } from '../store/sql';
import type { ReserveSplit } from './reserve';

/** Rows read per request: enough to retrain and verify on, bounded so one call stays cheap. */
export const MAX_FEEDBACK_ROWS = 20_000;

export async function feedbackRows(
  db: SqlDatabase,
  reserve: ReserveSplit,
  model: string,
  since: number,
  manifest: Manifest,
  part: 'training' | 'reserved',
): Promise<Record<string, string | number | null>[]> {
  const all = await db.all<{ request_id: string; features: string; label: string }>(
    'SELECT f.request_id AS request_id, p.features AS features, f.label AS label FROM feedback f JOIN predictions p ON p.model = f.model AND p.request_id = f.request_id WHERE f.model = ? AND f.at >= ? ORDER BY f.at LIMIT ?',
    [model, since, MAX_FEEDBACK_ROWS],
  );
  const reserved = await Promise.all(all.map((r) => reserve.isReserved(model, r.request_id)));
  const rows = all.filter((_, i) => reserved[i] === (part === 'reserved'));
  const target = manifest.signature.output.target;
  const numeric = manifest.task === 'regression';
  return rows.map((r) => ({
    ...(JSON.parse(r.features) as Record<string, string | number | null>),
    [target]: numeric ? Number(r.label) : r.label,
  }));
}
