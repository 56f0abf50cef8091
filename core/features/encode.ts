import { toNumber } from '../data/column-builder';
import { cellValue, type Table } from '../data/table';
import { FlywheelError, type ErrorDetail } from '../errors';
import { datetimePart } from './datetime-parts';
import { parseDatetime } from './infer-schema';
import { quantileNormal } from './quantile-map';
import type { FittedFeature, FittedTransform } from './transform-spec';

/** A raw feature value as it arrives from a table, JSON or CSV. */
export type RawValue = number | string | boolean | null | undefined;

/** Errors listed per request before the rest are summarised: enough to fix a batch, not a flood. */
const MAX_ERRORS = 20;

const TRUE_WORDS = new Set(['true', 't', 'yes', 'y', '1']);
const FALSE_WORDS = new Set(['false', 'f', 'no', 'n', '0']);

type Encoder = (value: RawValue, out: Float32Array, offset: number) => string | null;

/** Built once per transform: the edge encodes with the same one for every request. */
const encoderCache = new WeakMap<FittedTransform, Encoder[]>();

/** Encoders for a fitted transform, one per feature: write its columns, or return what is wrong. */
function encoders(transform: FittedTransform): Encoder[] {
  let encs = encoderCache.get(transform);
  if (encs === undefined) encoderCache.set(transform, (encs = transform.features.map(encoderFor)));
  return encs;
}

function encoderFor(f: FittedFeature): Encoder {
  switch (f.kind) {
    case 'numeric': {
      const knots = f.quantiles;
      if (knots)
        return (v, out, o) => {
          const n = typeof v === 'number' && v - v === 0 ? v : asNumber(v);
          if (n === undefined) return `expected a number, got ${describe(v)}`;
          out[o] = (quantileNormal(n ?? f.fill, knots) - f.scaling.center) / f.scaling.scale;
          return null;
        };
      return (v, out, o) => {
        // A finite number, as nearly every served value is, without a call that returns it boxed.
        if (typeof v === 'number' && v - v === 0) {
          out[o] = (v - f.scaling.center) / f.scaling.scale;
          return null;
        }
        const n = asNumber(v);
        if (n === undefined) return `expected a number, got ${describe(v)}`;
        out[o] = ((n ?? f.fill) - f.scaling.center) / f.scaling.scale;
        return null;
      };
    }
    case 'boolean':
      return (v, out, o) => {
        if (v === null || v === undefined || v === '') {
          out[o] = f.fill;
          return null;
        }
        const word = String(v).toLowerCase();
        if (TRUE_WORDS.has(word)) out[o] = 1;
        else if (FALSE_WORDS.has(word)) out[o] = 0;
        else return `expected true or false, got ${describe(v)}`;
        return null;
      };
    case 'onehot': {
      const index = new Map(f.categories.map((c, i) => [c, i]));
      const unknown = f.categories.length;
      return (v, out, o) => {
        if (typeof v === 'object' && v !== null) return `expected a category, got ${describe(v)}`;
        // Missing (null, or NaN as pandas writes it) is the unknown slot, as is an unseen string (the
        // answer warns); a number or boolean no category spells is a mistake, most often a column
        // sent in the wrong place, not a new category.
        const slot = v === null || v === undefined || v !== v ? unknown : index.get(String(v));
        if (slot === undefined && typeof v !== 'string')
          return `expected a category such as ${JSON.stringify(f.categories[0] ?? 'a string')}, got the ${typeof v} ${String(v)}`;
        const at = slot ?? unknown;
        for (let i = 0; i <= unknown; i++) out[o + i] = i === at ? 1 : 0;
        return null;
      };
    }
    case 'datetime':
      return (v, out, o) => {
        const ms =
          v === null || v === undefined || v === ''
            ? null
            : typeof v === 'number'
              ? v
              : typeof v === 'string'
                ? parseDatetime(v)
                : NaN;
        if (ms !== null && !Number.isFinite(ms)) return `expected a date such as 2024-05-31, got ${describe(v)}`;
        f.parts.forEach((p, i) => {
          const raw = ms === null ? f.fill[i] : datetimePart(ms, p);
          out[o + i] = (raw - f.scaling[i].center) / f.scaling[i].scale;
        });
        return null;
      };
  }
}

/** A finite number, null for missing, undefined when the value is not a number at all. */
function asNumber(v: RawValue): number | null | undefined {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'number') return Number.isNaN(v) ? null : Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string') return toNumber(v) ?? undefined;
  return undefined;
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (typeof v === 'object') return v === null ? 'null' : Array.isArray(v) ? 'an array' : 'an object';
  return String(v);
}

/** A table's column names for an error message: the first dozen, and how many more. */
function columnList(table: Table): string {
  const names = table.columns.map((c) => `"${c.name}"`);
  if (!names.length) return 'none';
  return names.length <= 12 ? names.join(', ') : `${names.slice(0, 12).join(', ')} and ${names.length - 12} more`;
}

/**
 * Encodes a whole table with a fitted transform into a row-major Float32Array [rows, width].
 * Throws a FlywheelError naming the row and feature of every bad cell (up to MAX_ERRORS).
 */
export function encodeTable(transform: FittedTransform, table: Table): Float32Array {
  const encs = encoders(transform);
  const cols = transform.features.map((f) => table.columns.find((c) => c.name === f.name));
  const absent = transform.features.filter((_, j) => !cols[j]).map((f) => f.name);
  if (absent.length) {
    const names = absent.map((n) => `"${n}"`);
    const list =
      names.length === 1 ? `column ${names[0]}` : `columns ${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
    // A column named the same but for case or spaces is most often the one meant: say so.
    const key = (n: string) => n.toLowerCase().replace(/\s+/g, ' ').trim();
    const near = absent.flatMap((n) => {
      const found = table.columns.find((c) => key(c.name) === key(n));
      return found ? [`"${found.name}" for "${n}"`] : [];
    });
    const hint = near.length ? `; names differ only in case or spaces: ${near.join(', ')}` : '';
    throw new FlywheelError(
      'bad_data',
      `the data has no ${list}, which the model needs (it has ${columnList(table)}${hint})`,
      absent.map((n) => ({ path: n, message: 'missing column' })),
    );
  }
  const out = new Float32Array(table.rowCount * transform.width);
  const details: ErrorDetail[] = [];
  for (let r = 0; r < table.rowCount; r++) {
    let o = r * transform.width;
    for (let j = 0; j < encs.length; j++) {
      const problem = encs[j](cellValue(cols[j]!, r), out, o);
      if (problem && details.length < MAX_ERRORS)
        details.push({ path: `row ${r + 1}.${transform.features[j].name}`, message: problem });
      o += width(transform.features[j]);
    }
  }
  if (details.length)
    throw new FlywheelError(
      'bad_data',
      `${details.length} bad value(s), first: ${details[0].path}: ${details[0].message}`,
      details,
    );
  return out;
}

/**
 * Encodes request rows for serving: each an object keyed by feature name, or an array in signature
 * order. A key left out is an error (say `null` for missing); unseen categories use the unknown bucket.
 * Errors name `instances[i].feature`. `into`, when it has exactly the size needed, is written instead
 * of a new array (every element is written).
 */
export function encodeRows(
  transform: FittedTransform,
  rows: readonly unknown[],
  path = 'instances',
  into?: Float32Array,
): Float32Array {
  const encs = encoders(transform);
  const out =
    into !== undefined && into.length === rows.length * transform.width
      ? into
      : new Float32Array(rows.length * transform.width);
  const details: ErrorDetail[] = [];
  const features = transform.features;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    let o = r * transform.width;
    const isArray = Array.isArray(row);
    if (!isArray && (row === null || typeof row !== 'object')) {
      addDetail(details, `${path}[${r}]`, 'expected an object of feature values or an array in signature order');
      continue;
    }
    if (isArray && row.length !== features.length) {
      addDetail(
        details,
        `${path}[${r}]`,
        `expected ${features.length} values in signature order (${features.map((f) => f.name).join(', ')}), got ${row.length}`,
      );
      continue;
    }
    const record = row as Record<string, RawValue>;
    for (let j = 0; j < features.length; j++) {
      const f = features[j];
      // One property load in the common case; `in` only tells a missing key from one that holds undefined.
      const v = isArray ? (row as RawValue[])[j] : record[f.name];
      if (v === undefined && !isArray && !(f.name in record))
        addDetail(details, `${path}[${r}].${f.name}`, 'missing feature (send null for a missing value)');
      else {
        const problem = encs[j](v, out, o);
        if (problem) addDetail(details, `${path}[${r}].${f.name}`, problem);
      }
      o += width(f);
    }
  }
  if (details.length)
    throw new FlywheelError(
      'bad_input',
      `${details.length} problem(s) in the rows, first: ${details[0].path}: ${details[0].message}`,
      details,
    );
  return out;
}

/** No closure for this in encodeRows: it runs per request at the edge, where tsx's keep-names wrapper turns each closure into a defineProperty call. */
function addDetail(details: ErrorDetail[], path: string, message: string): void {
  if (details.length < MAX_ERRORS) details.push({ path, message });
}

export function width(f: FittedFeature): number {
  return f.kind === 'onehot' ? f.categories.length + 1 : f.kind === 'datetime' ? f.parts.length : 1;
}
