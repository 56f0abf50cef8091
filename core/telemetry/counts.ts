/**
 * Counts keyed by names that come from requests (category values, labels). They live in objects
 * without a prototype, so a value such as "constructor" or "__proto__" is just another key; and
 * they stay plain JSON (a stored rollup is a JSON column).
 */

export type Counts = Record<string, number>;

export function emptyCounts(): Counts {
  return Object.create(null) as Counts;
}

/** Adds every count of `from` into `into` (mutates `into`). */
export function addCountsInto(into: Counts, from: Readonly<Counts>): void {
  for (const key of Object.keys(from)) into[key] = (into[key] ?? 0) + from[key];
}

/** The per-key sum of two counts, as a fresh prototype-less object. */
export function sumCounts(a: Readonly<Counts>, b: Readonly<Counts>): Counts {
  const out = emptyCounts();
  addCountsInto(out, a);
  addCountsInto(out, b);
  return out;
}
