import { MISSING_CODE, type Column, type StringColumn, type Table } from '../data/table';
import type { ColumnProfile, TableProfile } from './profile';
import type { FeatureSchema, FeatureType, Schema } from './schema';

/** Up to this many distinct values a string column is categorical whatever its size. */
const MAX_CATEGORIES_ALWAYS = 50;
/** Beyond MAX_CATEGORIES_ALWAYS, a column whose distinct share of rows exceeds this is free text (names, ids). */
const TEXT_DISTINCT_RATIO = 0.5;
/** Missing-share headroom allowed over what training saw before validation calls it an anomaly. */
const MISSING_RATIO_SLACK = 0.1;

const BOOLEAN_WORDS = new Set(['true', 'false', 'yes', 'no', 't', 'f', 'y', 'n']);
const DATE_PREFIX = /^\d{4}[-/]\d{1,2}[-/]\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Infers a schema from a table, TFDV-style: numeric or integer numbers; boolean, datetime,
 * categorical (with its domain) or free-text strings; nullable when any value is missing. Given the
 * table's profile, numeric columns take their counts and range from it instead of a second pass.
 */
export function inferSchema(table: Table, profile?: TableProfile): Schema {
  return { columns: table.columns.map((col, i) => inferFeature(col, profile?.columns[i])) };
}

function inferFeature(col: Column, profiled?: ColumnProfile): FeatureSchema {
  if (
    col.kind === 'number' &&
    profiled?.type === 'number' &&
    profiled.name === col.name &&
    profiled.count + profiled.missing === col.values.length
  ) {
    const { missing, integer, min, max } = profiled;
    return {
      name: col.name,
      type: integer ? 'integer' : 'numeric',
      nullable: missing > 0,
      ...(missing < col.values.length ? { min, max } : {}),
      maxMissingRatio: missingBound(missing, col.values.length),
    };
  }
  if (col.kind === 'number') {
    let missing = 0;
    let integer = true;
    let min = Infinity;
    let max = -Infinity;
    for (const v of col.values) {
      if (v !== v) {
        missing++;
        continue;
      }
      if (integer && Math.floor(v) !== v) integer = false;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    return {
      name: col.name,
      type: integer ? 'integer' : 'numeric',
      nullable: missing > 0,
      ...(missing < col.values.length ? { min, max } : {}),
      maxMissingRatio: missingBound(missing, col.values.length),
    };
  }
  const { used, missing } = usedValues(col);
  const type = stringType(used, col.codes.length - missing);
  const feature: FeatureSchema = {
    name: col.name,
    type,
    nullable: missing > 0,
    maxMissingRatio: missingBound(missing, col.codes.length),
  };
  if (type === 'categorical' || type === 'boolean') feature.domain = [...used].sort();
  return feature;
}

function stringType(values: string[], present: number): FeatureType {
  if (values.length === 0) return 'categorical';
  if (values.every((v) => BOOLEAN_WORDS.has(v.toLowerCase()))) return 'boolean';
  if (values.every((v) => DATE_PREFIX.test(v) && !Number.isNaN(parseDatetime(v)))) return 'datetime';
  if (values.length > MAX_CATEGORIES_ALWAYS && values.length > TEXT_DISTINCT_RATIO * present) return 'text';
  return 'categorical';
}

/** The dictionary's values that some row uses, and the rows without a value, in one pass over the codes. */
function usedValues(col: StringColumn): { used: string[]; missing: number } {
  const seen = new Uint8Array(col.dictionary.length);
  const codes = col.codes;
  let missing = 0;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c === MISSING_CODE) missing++;
    else seen[c] = 1;
  }
  return { used: col.dictionary.filter((_, i) => seen[i]), missing };
}

function missingBound(missing: number, rows: number): number {
  return Math.min(1, Math.round((missing / Math.max(1, rows) + MISSING_RATIO_SLACK) * 1000) / 1000);
}

/**
 * Milliseconds since the epoch of a datetime value as inferred above (ISO, or with slashes); NaN when
 * it is not one. A time without a zone is read as UTC, so a browser anywhere computes what Node did.
 */
export function parseDatetime(text: string): number {
  const m = DATE_PREFIX.exec(text.trim());
  if (!m) return Date.parse(text);
  const [datePart, timePart] = text.trim().split(/[ T]/);
  const [y, mo, d] = datePart.split(/[-/]/);
  const iso = `${y}-${mo.padStart(2, '0')}-${d.padStart(2, '0')}`;
  if (!timePart) return Date.parse(iso);
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(timePart);
  const [hh, ...rest] = timePart.split(':');
  return Date.parse(`${iso}T${hh.padStart(2, '0')}:${rest.join(':')}${hasZone ? '' : 'Z'}`);
}
