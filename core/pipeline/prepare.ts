import { cellValue, column, hasColumn, MISSING_CODE, takeRows, type Column, type Table } from '../data/table';
import { FlywheelError } from '../errors';
import { inferSchema, type FeatureSchema } from '../features';
import type { PipelineSpec } from './spec';

/** Up to this many distinct integer values, a numeric target is read as classes (as sklearn's type_of_target). */
const MAX_INTEGER_CLASSES = 10;

export interface Prepared {
  /** Rows with a target value (rows without one cannot train or score). */
  table: Table;
  task: 'classification' | 'regression';
  /** Class labels, sorted; empty for regression. */
  labels: string[];
  /** Class index or target value per row of `table`. */
  y: Int32Array | Float64Array;
  features: FeatureSchema[];
  dropped: number;
}

/**
 * Resolves the target, the task and the features of a spec against the data; errors name the
 * spec path (`target`, `features.exclude[1]`) and list what exists.
 */
export function prepareTable(table: Table, spec: PipelineSpec): Prepared {
  const names = table.columns.map((c) => c.name);
  if (!hasColumn(table, spec.target)) {
    throw new FlywheelError('bad_spec', `target "${spec.target}" is not a column; columns are ${names.join(', ')}`, [
      { path: 'target', message: 'unknown column' },
    ]);
  }
  for (const [path, list] of [
    ['features.include', spec.features.include ?? []],
    ['features.exclude', spec.features.exclude],
    ['slices', spec.slices],
  ] as const) {
    list.forEach((n, i) => {
      if (!hasColumn(table, n))
        throw new FlywheelError('bad_spec', `${path}[${i}]: "${n}" is not a column; columns are ${names.join(', ')}`, [
          { path: `${path}.${i}`, message: 'unknown column' },
        ]);
    });
  }
  const target = column(table, spec.target);
  const keep: number[] = [];
  for (let r = 0; r < table.rowCount; r++) if (cellValue(target, r) !== null) keep.push(r);
  if (keep.length === 0)
    throw new FlywheelError('bad_data', `every value of the target "${spec.target}" is missing`, [
      { path: 'target', message: 'all missing' },
    ]);
  const rows = keep.length === table.rowCount ? table : takeRows(table, keep);
  const t = column(rows, spec.target);
  const task = spec.task === 'auto' ? inferTask(t) : spec.task;
  const excluded = new Set([spec.target, ...spec.features.exclude]);
  const wanted = spec.features.include ? new Set(spec.features.include) : null;
  const features = inferSchema(rows).columns.filter((f) => !excluded.has(f.name) && (!wanted || wanted.has(f.name)));
  if (features.length === 0)
    throw new FlywheelError('bad_spec', 'no features are left after excluding the target and features.exclude', [
      { path: 'features', message: 'no features' },
    ]);
  if (task === 'regression') {
    if (t.kind !== 'number')
      throw new FlywheelError('bad_spec', `target "${spec.target}" holds text, so it cannot be a regression target`, [
        { path: 'task', message: 'regression on text' },
      ]);
    return {
      table: rows,
      task,
      labels: [],
      y: Float64Array.from(t.values),
      features,
      dropped: table.rowCount - keep.length,
    };
  }
  const { labels, y } = encodeLabels(t);
  if (labels.length < 2) {
    throw new FlywheelError(
      'bad_data',
      `target "${spec.target}" has a single class "${labels[0]}": there is nothing to learn`,
      [{ path: 'target', message: 'single class' }],
    );
  }
  return { table: rows, task, labels, y, features, dropped: table.rowCount - keep.length };
}

function inferTask(t: Column): 'classification' | 'regression' {
  if (t.kind === 'string') return 'classification';
  const distinct = new Set<number>();
  for (const v of t.values) {
    if (!Number.isInteger(v)) return 'regression';
    distinct.add(v);
    if (distinct.size > MAX_INTEGER_CLASSES) return 'regression';
  }
  return 'classification';
}

/** Sorted class labels and each row's index into them. */
export function encodeLabels(t: Column): { labels: string[]; y: Int32Array } {
  const text = (r: number) => String(cellValue(t, r));
  const seen = new Set<string>();
  for (let r = 0; r < (t.kind === 'number' ? t.values.length : t.codes.length); r++) {
    if (t.kind === 'string' && t.codes[r] === MISSING_CODE) continue;
    seen.add(text(r));
  }
  const labels = [...seen].sort(t.kind === 'number' ? (a, b) => Number(a) - Number(b) : undefined);
  const index = new Map(labels.map((l, i) => [l, i]));
  const n = t.kind === 'number' ? t.values.length : t.codes.length;
  return { labels, y: Int32Array.from({ length: n }, (_, r) => index.get(text(r)) ?? -1) };
}

/** Class indices of `t` against known labels; an unseen label is an error naming it and its count. */
export function labelsAgainst(t: Column, labels: readonly string[], source: string): Int32Array {
  const index = new Map(labels.map((l, i) => [l, i]));
  const unseen = new Map<string, number>();
  const n = t.kind === 'number' ? t.values.length : t.codes.length;
  const y = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const v = cellValue(t, r);
    const i = v === null ? undefined : index.get(String(v));
    if (i === undefined) unseen.set(String(v), (unseen.get(String(v)) ?? 0) + 1);
    else y[r] = i;
  }
  if (unseen.size) {
    const list = [...unseen].map(([l, c]) => `"${l}" (${c} rows)`).join(', ');
    throw new FlywheelError(
      'bad_data',
      `${source} has target labels the model never saw in training: ${list}; known labels are ${labels.join(', ')}`,
      [...unseen.keys()].map((l) => ({ path: `${source}.${t.name}`, message: `unseen label "${l}"` })),
    );
  }
  return y;
}
