import { toNumber } from '../data/column-builder';
import { cellValue, type Column, type Table } from '../data/table';
import { parseDatetime } from './infer-schema';
import type { FeatureSchema, Schema } from './schema';

export type Severity = 'error' | 'warning' | 'info';
export type AnomalyKind =
  'missing_column' | 'unexpected_column' | 'wrong_type' | 'unseen_category' | 'out_of_range' | 'missing_values';

export interface Anomaly {
  column: string;
  kind: AnomalyKind;
  severity: Severity;
  /** Rows affected (0 for whole-column anomalies such as a missing column). */
  count: number;
  /** A few offending values, to recognise the problem at a glance. */
  examples: (string | number)[];
  message: string;
}

/** Offending values quoted per anomaly. */
const MAX_EXAMPLES = 5;
const BOOLEAN_WORDS = new Set(['true', 'false', 'yes', 'no', 't', 'f', 'y', 'n', '0', '1']);

/**
 * Checks a table against a schema (TFDV's `validate_statistics`, on the rows): every anomaly names
 * its column, kind, count, a few examples and a severity. Errors break serving; warnings the one-hot
 * unknown bucket or the model can absorb; info is worth a look.
 */
export function validateTable(table: Table, schema: Schema): Anomaly[] {
  const anomalies: Anomaly[] = [];
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  for (const feature of schema.columns) {
    const col = byName.get(feature.name);
    if (!col) {
      anomalies.push({
        column: feature.name,
        kind: 'missing_column',
        severity: 'error',
        count: 0,
        examples: [],
        message: `column "${feature.name}" (${feature.type}) is missing`,
      });
      continue;
    }
    anomalies.push(...checkColumn(col, feature, table.rowCount));
  }
  const expected = new Set(schema.columns.map((f) => f.name));
  for (const col of table.columns) {
    if (!expected.has(col.name))
      anomalies.push({
        column: col.name,
        kind: 'unexpected_column',
        severity: 'info',
        count: table.rowCount,
        examples: [],
        message: `column "${col.name}" is not in the schema and is ignored`,
      });
  }
  return anomalies;
}

function checkColumn(col: Column, f: FeatureSchema, rows: number): Anomaly[] {
  const out: Anomaly[] = [];
  const wrong = new Tally();
  const unseen = new Tally();
  const outOfRange = new Tally();
  let missing = 0;
  const domain = f.domain ? new Set(f.domain) : null;
  for (let r = 0; r < rows; r++) {
    const v = cellValue(col, r);
    if (v === null) {
      missing++;
      continue;
    }
    switch (f.type) {
      case 'numeric':
      case 'integer': {
        const n = typeof v === 'number' ? v : toNumber(v);
        if (n === null || (f.type === 'integer' && !Number.isInteger(n))) wrong.add(v);
        else if ((f.min !== undefined && n < f.min) || (f.max !== undefined && n > f.max)) outOfRange.add(n);
        break;
      }
      case 'boolean':
        if (!BOOLEAN_WORDS.has(String(v).toLowerCase())) wrong.add(v);
        break;
      case 'datetime':
        if (typeof v === 'number' || Number.isNaN(parseDatetime(v))) wrong.add(v);
        break;
      case 'categorical':
        if (domain && !domain.has(String(v))) unseen.add(v);
        break;
      case 'text':
        break;
    }
  }
  const typeWord = f.type === 'integer' ? 'an integer' : `a ${f.type} value`;
  if (wrong.count)
    out.push(
      wrong.anomaly(f.name, 'wrong_type', 'error', `${wrong.count} value(s) in "${f.name}" are not ${typeWord}`),
    );
  if (unseen.count)
    out.push(
      unseen.anomaly(
        f.name,
        'unseen_category',
        'warning',
        `${unseen.count} value(s) in "${f.name}" are not in its domain of ${f.domain!.length} categories`,
      ),
    );
  if (outOfRange.count)
    out.push(
      outOfRange.anomaly(
        f.name,
        'out_of_range',
        'warning',
        `${outOfRange.count} value(s) in "${f.name}" fall outside [${f.min}, ${f.max}]`,
      ),
    );
  if (missing > 0 && !f.nullable) {
    out.push({
      column: f.name,
      kind: 'missing_values',
      severity: 'error',
      count: missing,
      examples: [],
      message: `"${f.name}" must not be missing, but ${missing} row(s) are`,
    });
  } else if (f.maxMissingRatio !== undefined && missing / Math.max(1, rows) > f.maxMissingRatio) {
    out.push({
      column: f.name,
      kind: 'missing_values',
      severity: 'error',
      count: missing,
      examples: [],
      message: `${((100 * missing) / rows).toFixed(1)}% of "${f.name}" is missing, above the bound of ${(100 * f.maxMissingRatio).toFixed(1)}%`,
    });
  }
  return out;
}

class Tally {
  count = 0;
  private readonly examples = new Set<string | number>();
  add(v: string | number): void {
    this.count++;
    if (this.examples.size < MAX_EXAMPLES) this.examples.add(v);
  }
  anomaly(column: string, kind: AnomalyKind, severity: Severity, message: string): Anomaly {
    return { column, kind, severity, count: this.count, examples: [...this.examples], message };
  }
}
