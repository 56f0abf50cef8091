/**
 * What changed between pipeline specs: the JSON paths whose values differ, with every spec's value
 * side by side. Arrays of plain values (`model.hidden`) compare as one value, since [64, 32] → [16]
 * is one change to a person, not two; arrays of objects (gates) are walked by index, and a part
 * present in only some specs (a new gate) is one change.
 */

export interface SpecChange {
  /** Dotted JSON path, array items as [i]: `train.learningRate`, `gates[0].min`. */
  path: string;
  /** The value in each spec, in the order given; undefined where the path is absent. */
  values: unknown[];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isLeaf(v: unknown): boolean {
  if (Array.isArray(v)) return v.every((x) => !isPlainObject(x) && !Array.isArray(x));
  return !isPlainObject(v);
}

function join(base: string, key: string | number): string {
  return typeof key === 'number' ? `${base}[${key}]` : base ? `${base}.${key}` : key;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Paths where any spec differs from the first, in the first spec's key order, then new keys. */
export function specDiff(specs: readonly unknown[]): SpecChange[] {
  const changes: SpecChange[] = [];
  const walk = (values: unknown[], path: string): void => {
    if (values.every((v) => same(v, values[0]))) return;
    // A path absent from some spec, or a plain value anywhere, is one change: nothing to walk into.
    if (values.some((v) => v === undefined || isLeaf(v))) {
      changes.push({ path, values });
      return;
    }
    const keys: (string | number)[] = [];
    for (const v of values) {
      const own = Array.isArray(v) ? v.map((_, i) => i) : isPlainObject(v) ? Object.keys(v) : [];
      for (const k of own) if (!keys.includes(k)) keys.push(k);
    }
    for (const k of keys)
      walk(
        values.map((v) => (v as Record<string | number, unknown> | undefined)?.[k]),
        join(path, k),
      );
  };
  if (specs.length > 1) walk([...specs], '');
  return changes;
}

/** A value as it reads in a diff cell: JSON, with absent shown as an em dash. */
export function formatSpecValue(v: unknown): string {
  return v === undefined ? '—' : JSON.stringify(v);
}
