/**
 * Data-quality notes read off a profile and its inferred schema: the problems a person should see
 * before training (mostly missing, constant, identifier-like, mixed numbers and text, one dominant
 * value), each with the column, a severity and a sentence with the numbers. Validating new rows
 * against a saved schema needs the rows and happens in the worker; these need only the profile.
 */
import type { ColumnProfile, Schema, TableProfile } from '../../../core/features';

export type NoteSeverity = 'error' | 'warning' | 'info';

export interface QualityNote {
  column: string;
  severity: NoteSeverity;
  kind: 'all_missing' | 'missing' | 'constant' | 'identifier' | 'high_cardinality' | 'mixed_types' | 'dominant_value';
  message: string;
}

/** Missing share from which a column is mostly empty (a warning), and from which it is nearly useless (an error). */
export const MISSING_WARNING = 0.3;
export const MISSING_ERROR = 0.8;
/** A text column whose distinct share of rows is at least this looks like an identifier (names, ids). */
export const IDENTIFIER_DISTINCT_SHARE = 0.9;
/** Rows below which distinct shares say little (ten rows are often all distinct). */
export const MIN_ROWS_FOR_SHARES = 20;
/** Categories beyond which one-hot encoding becomes wide enough to mention. */
export const HIGH_CARDINALITY = 50;
/** Share of one category from which the column barely varies. */
export const DOMINANT_SHARE = 0.95;
/** Share of number-looking values in a text column from which the column is likely numeric with stray text. */
export const MIXED_NUMERIC_SHARE = 0.5;

const SEVERITY_ORDER: Record<NoteSeverity, number> = { error: 0, warning: 1, info: 2 };
const NUMBER_LIKE = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/** Every note for every column, errors first, then by column order. */
export function qualityNotes(profile: TableProfile, schema: Schema): QualityNote[] {
  const notes = profile.columns.flatMap((col, i) =>
    columnNotes(col, schema.columns[i]?.type ?? 'categorical', profile.rowCount),
  );
  const order = new Map(profile.columns.map((c, i) => [c.name, i]));
  return notes.sort(
    (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || order.get(a.column)! - order.get(b.column)!,
  );
}

function pct(share: number): string {
  return `${(100 * share).toFixed(share < 0.1 ? 1 : 0)}%`;
}

function columnNotes(col: ColumnProfile, type: string, rows: number): QualityNote[] {
  const notes: QualityNote[] = [];
  const note = (severity: NoteSeverity, kind: QualityNote['kind'], message: string): void => {
    notes.push({ column: col.name, severity, kind, message });
  };
  if (rows > 0 && col.count === 0) {
    note('error', 'all_missing', `every value is missing (${rows.toLocaleString('en-US')} rows)`);
    return notes;
  }
  const missing = rows > 0 ? col.missing / rows : 0;
  if (missing >= MISSING_ERROR)
    note('error', 'missing', `${pct(missing)} of values are missing: imputing this much invents the column`);
  else if (missing >= MISSING_WARNING) note('warning', 'missing', `${pct(missing)} of values are missing`);
  else if (col.missing > 0)
    note('info', 'missing', `${col.missing.toLocaleString('en-US')} missing (${pct(missing)}); imputed at training`);

  if (col.type === 'number') {
    if (col.count > 1 && col.min === col.max)
      note('warning', 'constant', `constant (${col.min}): carries no information`);
    return notes;
  }
  if (col.count > 1 && col.distinct === 1) {
    note('warning', 'constant', `constant ("${col.top[0]?.value ?? ''}"): carries no information`);
    return notes;
  }
  const tracked = Object.entries(col.counts);
  const numeric = tracked.reduce((n, [value, count]) => n + (NUMBER_LIKE.test(value) ? count : 0), 0);
  const trackedTotal = tracked.reduce((n, [, count]) => n + count, 0);
  if (numeric > 0 && numeric < trackedTotal && numeric / trackedTotal >= MIXED_NUMERIC_SHARE) {
    const stray = tracked
      .filter(([value]) => !NUMBER_LIKE.test(value))
      .slice(0, 3)
      .map(([value]) => `"${value}"`);
    note(
      'warning',
      'mixed_types',
      `mixed types: ${pct(numeric / trackedTotal)} of values are numbers, the rest text (${stray.join(', ')}), so the column is read as text`,
    );
  }
  if (col.count >= MIN_ROWS_FOR_SHARES && col.distinct / col.count >= IDENTIFIER_DISTINCT_SHARE) {
    note(
      'warning',
      'identifier',
      `${col.distinct.toLocaleString('en-US')} distinct values in ${col.count.toLocaleString('en-US')} rows: looks like an identifier; exclude it from features`,
    );
  } else if (type === 'categorical' && col.distinct > HIGH_CARDINALITY) {
    note(
      'info',
      'high_cardinality',
      `${col.distinct.toLocaleString('en-US')} categories: one-hot encoding adds as many inputs`,
    );
  }
  const top = col.top[0];
  if (top && col.count >= MIN_ROWS_FOR_SHARES && top.count / col.count >= DOMINANT_SHARE) {
    note(
      'warning',
      'dominant_value',
      `"${top.value}" is ${pct(top.count / col.count)} of values: the column barely varies`,
    );
  }
  return notes;
}
