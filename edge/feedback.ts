/** Feedback: ground-truth labels joined to logged predictions by request id, and the online metrics they yield. */
import type { FeedbackResponse, OnlineMetrics, Prediction } from '../core/api/contract';
import { FlywheelError } from '../core/errors';
import type { SqlDatabase, SqlStatement } from './store/sql';

/** Ids per lookup query: under D1's 100-parameter limit with the model name. */
const IDS_PER_QUERY = 90;

export async function recordFeedback(
  db: SqlDatabase,
  model: string,
  items: { request_id: string; label: string | number | boolean }[],
  at: number,
): Promise<FeedbackResponse> {
  const ids = [...new Set(items.map((i) => i.request_id))];
  const logged = new Map<string, { version: number; prediction: Prediction }>();
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    const chunk = ids.slice(i, i + IDS_PER_QUERY);
    const rows = await db.all<{ request_id: string; version: number; prediction: string }>(
      `SELECT request_id, version, prediction FROM predictions WHERE model = ? AND request_id IN (${chunk.map(() => '?').join(', ')})`,
      [model, ...chunk],
    );
    for (const r of rows)
      logged.set(r.request_id, { version: r.version, prediction: JSON.parse(r.prediction) as Prediction });
  }
  const unmatched: string[] = [];
  const statements: SqlStatement[] = [];
  const seen = new Set<string>();
  const order: string[] = [];
  // Labels become training rows of the next model: one the model could never predict is refused,
  // with the whole request, before anything is written.
  const problems = items.flatMap((item, i) => {
    const hit = logged.get(item.request_id);
    const problem = hit ? labelProblem(hit.prediction, item.label) : null;
    return problem ? [{ path: `items[${i}].label`, message: problem }] : [];
  });
  if (problems.length > 0)
    throw new FlywheelError(
      'bad_input',
      `${problems.length} label${problems.length === 1 ? '' : 's'} cannot be ground truth for the predictions they name: ${problems[0].path}: ${problems[0].message}${problems.length > 1 ? ', …' : ''}; nothing was recorded`,
      problems.slice(0, 20),
    );
  for (const item of items) {
    const hit = logged.get(item.request_id);
    if (!hit) {
      unmatched.push(item.request_id);
      continue;
    }
    if (seen.has(item.request_id)) continue;
    seen.add(item.request_id);
    order.push(item.request_id);
    const p = hit.prediction;
    const label = String(item.label);
    let correct: number | null = null;
    let abs: number | null = null;
    let sq: number | null = null;
    if ('label' in p) correct = p.label === label ? 1 : 0;
    else {
      const y = Number(item.label);
      abs = Math.abs(y - p.value);
      sq = (y - p.value) ** 2;
    }
    statements.push({
      sql: 'INSERT OR IGNORE INTO feedback (request_id, model, version, at, label, correct, abs_error, sq_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      params: [item.request_id, model, hit.version, at, label, correct, abs, sq],
    });
  }
  const results = statements.length ? await db.batch(statements) : [];
  const duplicates = order.filter((_, i) => results[i].changes === 0);
  return { accepted: order.length - duplicates.length, unmatched, duplicates };
}

/** Why `label` cannot be the truth for prediction `p` (a class the model does not have, a target that is not a finite number), or null. */
function labelProblem(p: Prediction, label: string | number | boolean): string | null {
  if ('label' in p) {
    const classes = Object.keys(p.probabilities);
    return classes.includes(String(label))
      ? null
      : `${JSON.stringify(label)} is not a class of the model (${classes.map((c) => JSON.stringify(c)).join(', ')})`;
  }
  const y = typeof label === 'number' ? label : typeof label === 'string' && label.trim() !== '' ? Number(label) : NaN;
  return Number.isFinite(y) ? null : `${JSON.stringify(label)} is not a number, and the model is a regressor`;
}

/** How many labels a model has received since `since` (ms). */
export async function feedbackCount(db: SqlDatabase, model: string, since: number): Promise<number> {
  const row = await db.first<{ n: number }>('SELECT COUNT(*) AS n FROM feedback WHERE model = ? AND at >= ?', [
    model,
    since,
  ]);
  return row?.n ?? 0;
}

/** Online metrics per version from feedback received since `since` (ms). */
export async function onlineMetrics(db: SqlDatabase, model: string, since: number): Promise<OnlineMetrics[]> {
  const rows = await db.all<{ version: number; n: number; acc: number | null; mae: number | null; mse: number | null }>(
    'SELECT version, COUNT(*) AS n, AVG(correct) AS acc, AVG(abs_error) AS mae, AVG(sq_error) AS mse FROM feedback WHERE model = ? AND at >= ? GROUP BY version ORDER BY version',
    [model, since],
  );
  return rows.map((r) => ({
    version: r.version,
    feedback: r.n,
    ...(r.acc !== null ? { accuracy: r.acc } : {}),
    ...(r.mae !== null ? { mae: r.mae, rmse: Math.sqrt(r.mse ?? 0) } : {}),
  }));
}
