/**
 * Labelled rows collected at the edge: logged features joined to the ground truth that came back as
 * feedback. One row in RESERVED_SHARE is never handed to runners: it is the verification set that no
 * model trained on, so a challenger and the champion are compared on equal terms.
 */
import type { Manifest } from '../../core/bundle';
import { hashString } from '../../core/features/hyperloglog';

/** Share of feedback rows kept back from training for verification. */
export const RESERVED_SHARE = 0.2;

/** Whether a request's feedback belongs to the verification reserve (stable per request id). */
export function isReserved(requestId: string): boolean {
  return hashString(requestId) / 4294967296 < RESERVED_SHARE;
}
import type { SqlDatabase } from '../store/sql';

/** Rows read per request: enough to retrain and verify on, bounded so one call stays cheap. */
export const MAX_FEEDBACK_ROWS = 20_000;

export async function feedbackRows(db: SqlDatabase, model: string, since: number, manifest: Manifest, part: 'training' | 'reserved'): Promise<Record<string, string | number | null>[]> {
  const all = await db.all<{ request_id: string; features: string; label: string }>(
    'SELECT f.request_id AS request_id, p.features AS features, f.label AS label FROM feedback f JOIN predictions p ON p.request_id = f.request_id WHERE f.model = ? AND f.at >= ? ORDER BY f.at LIMIT ?',
    [model, since, MAX_FEEDBACK_ROWS],
  );
  const rows = all.filter((r) => isReserved(r.request_id) === (part === 'reserved'));
  const target = manifest.signature.output.target;
  const numeric = manifest.task === 'regression';
  return rows.map((r) => ({ ...(JSON.parse(r.features) as Record<string, string | number | null>), [target]: numeric ? Number(r.label) : r.label }));
}
