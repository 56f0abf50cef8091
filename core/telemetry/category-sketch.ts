/**
 * What a serving window keeps of one categorical column: counts of the baseline's categories, and
 * categories training never saw counted by name (what a user wants to see: "what is new?") up to a
 * cap, past which they are counted together, so a high-cardinality field sent by mistake (an id,
 * free text) cannot grow a rollup without bound.
 */
import { emptyCounts, sumCounts, type Counts } from './counts';

/** Unseen names kept per sketch: enough to name what is new, bounded against id-like fields. */
export const MAX_UNSEEN_CATEGORIES = 100;
/** The key under which unseen values past the cap (and the baseline's untracked ones) meet drift. */
export const OTHER_CATEGORY = '(other)';

export interface CategoricalSketch {
  type: 'categorical';
  /** Values seen (not missing). */
  count: number;
  missing: number;
  /** Counts of the baseline's categories. */
  counts: Counts;
  /** Counts of categories the baseline does not know, by name (at most MAX_UNSEEN_CATEGORIES names). */
  unseen: Counts;
  /** How many names `unseen` holds, kept so recording never counts keys. */
  unseenNames: number;
  /** Unseen values past the cap. */
  other: number;
}

export function emptyCategoricalSketch(): CategoricalSketch {
  return {
    type: 'categorical',
    count: 0,
    missing: 0,
    counts: emptyCounts(),
    unseen: emptyCounts(),
    unseenNames: 0,
    other: 0,
  };
}

/** Counts one value against the baseline's categories `known`. */
export function addCategory(s: CategoricalSketch, value: string, known: ReadonlySet<string>): void {
  s.count++;
  if (known.has(value)) {
    s.counts[value] = (s.counts[value] ?? 0) + 1;
    return;
  }
  const n = s.unseen[value];
  if (n !== undefined) s.unseen[value] = n + 1;
  else if (s.unseenNames < MAX_UNSEEN_CATEGORIES) {
    s.unseen[value] = 1;
    s.unseenNames++;
  } else s.other++;
}

/**
 * Both sketches' values. Counts add; when the unseen names together pass the cap, the most frequent
 * stay named (ties by name, for determinism) and the rest join `other`, so totals are always exact.
 */
export function mergeCategoricalSketches(a: CategoricalSketch, b: CategoricalSketch): CategoricalSketch {
  const unseen = sumCounts(a.unseen, b.unseen);
  const names = Object.keys(unseen);
  let other = a.other + b.other;
  let kept = unseen;
  if (names.length > MAX_UNSEEN_CATEGORIES) {
    names.sort((x, y) => unseen[y] - unseen[x] || (x < y ? -1 : x > y ? 1 : 0));
    kept = emptyCounts();
    names.forEach((name, i) => {
      if (i < MAX_UNSEEN_CATEGORIES) kept[name] = unseen[name];
      else other += unseen[name];
    });
  }
  return {
    type: 'categorical',
    count: a.count + b.count,
    missing: a.missing + b.missing,
    counts: sumCounts(a.counts, b.counts),
    unseen: kept,
    unseenNames: Math.min(names.length, MAX_UNSEEN_CATEGORIES),
    other,
  };
}

/** Every value of a sketch by category, unseen ones included and the capped rest under OTHER_CATEGORY. */
export function categoryTotals(s: CategoricalSketch): Counts {
  const out = sumCounts(s.counts, s.unseen);
  if (s.other > 0) out[OTHER_CATEGORY] = (out[OTHER_CATEGORY] ?? 0) + s.other;
  return out;
}
