/**
 * One uniform sample from many reservoir samples, each standing for a different number of values
 * (a minute of traffic, or a second of it): every part gives a share of the result proportional to
 * the values it stands for, so a busy minute is not drowned by quiet ones. Merging all parts at once
 * (not pairwise) keeps an hour of per-second partial rollups to one pass.
 */
import { seededRandom, type Random } from '../random';

export interface WeightedSample {
  sample: readonly number[];
  /** How many values the sample stands for (at least its length). */
  count: number;
}

/**
 * A sample of at most `size` values of the union of the parts: all of them when they fit and every
 * part is complete, else quotas by largest remainder of size·count/total, drawn without replacement
 * with a generator seeded by `seed` (so the same inputs give the same sample).
 */
export function mergeWeightedSamples(parts: readonly WeightedSample[], seed: number, size: number): number[] {
  let values = 0;
  let total = 0;
  let complete = true;
  for (const p of parts) {
    values += p.sample.length;
    total += p.count;
    if (p.sample.length !== p.count) complete = false;
  }
  if (complete && values <= size) {
    const out: number[] = [];
    for (const p of parts) for (const v of p.sample) out.push(v);
    return out;
  }
  const quotas = largestRemainder(parts, Math.min(size, values), total);
  const random = seededRandom(seed);
  const out: number[] = [];
  parts.forEach((p, i) => drawInto(out, p.sample, Math.min(quotas[i], p.sample.length), random));
  return out;
}

/** Integer shares of `size` proportional to the parts' counts, summing to `size` (ties to the earlier part). */
function largestRemainder(parts: readonly WeightedSample[], size: number, total: number): number[] {
  if (total <= 0) return parts.map(() => 0);
  const exact = parts.map((p) => (size * p.count) / total);
  const quotas = exact.map(Math.floor);
  let left = size - quotas.reduce((s, q) => s + q, 0);
  const order = parts.map((_, i) => i).sort((a, b) => exact[b] - quotas[b] - (exact[a] - quotas[a]) || a - b);
  for (let k = 0; left > 0 && k < order.length; k++, left--) quotas[order[k]]++;
  return quotas;
}

/** Appends k values of `sample` drawn without replacement (a partial Fisher–Yates on a copy). */
function drawInto(out: number[], sample: readonly number[], k: number, random: Random): void {
  const copy = sample.slice();
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random() * (copy.length - i));
    const v = copy[j];
    copy[j] = copy[i];
    copy[i] = v;
    out.push(v);
  }
}
