import { seededRandom, type Random } from '../random';

/**
 * Values kept per numeric column: quantiles are exact up to this many values, and beyond it have a
 * rank error of about sqrt(q(1-q)/4096) ≤ 0.8% (one standard error), under 2.5% at three.
 * The same sample is the reference for drift tests such as KS.
 */
export const SAMPLE_SIZE = 4096;

/**
 * A uniform random sample of the non-missing values of `values` (Algorithm L), seeded. `noMissing`
 * promises there is no NaN in `values`: the skips then jump instead of stepping over each value, and
 * the sample is the one the same values with NaNs among them would give.
 */
export function reservoirSample(values: Float64Array, seed: number, size = SAMPLE_SIZE, noMissing = false): number[] {
  const random = seededRandom(seed);
  const sample: number[] = [];
  let i = 0;
  for (; i < values.length && sample.length < size; i++) if (values[i] === values[i]) sample.push(values[i]);
  if (sample.length < size) return sample;
  let w = Math.exp(Math.log(positive(random)) / size);
  let skip = Math.floor(Math.log(positive(random)) / Math.log(1 - w));
  for (; i < values.length; i++) {
    if (noMissing) {
      i += skip;
      if (i >= values.length) break;
    } else if (values[i] !== values[i]) continue;
    else if (skip > 0) {
      skip--;
      continue;
    }
    sample[Math.floor(random() * size)] = values[i];
    w *= Math.exp(Math.log(positive(random)) / size);
    skip = Math.floor(Math.log(positive(random)) / Math.log(1 - w));
  }
  return sample;
}

/** A sample of the union of two samples that stand for `countA` and `countB` values. */
export function mergeSamples(
  a: number[],
  countA: number,
  b: number[],
  countB: number,
  seed: number,
  size = SAMPLE_SIZE,
): number[] {
  if (a.length + b.length <= size && a.length === countA && b.length === countB) return [...a, ...b];
  const random = seededRandom(seed);
  const fromA = Math.min(a.length, Math.round((size * countA) / (countA + countB)));
  const fromB = Math.min(b.length, size - fromA);
  return [...pick(a, fromA, random), ...pick(b, fromB, random)];
}

function pick(values: number[], k: number, random: Random): number[] {
  const copy = values.slice();
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random() * (copy.length - i));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, k);
}

function positive(random: Random): number {
  let u = 0;
  while (u === 0) u = random();
  return u;
}

/** numpy's default (linear interpolation) quantile of sorted values. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const t = pos - lo;
  const a = sorted[lo];
  const b = sorted[hi];
  // numpy's lerp (1.22+): from the nearer end, so a median of 0.3 and 8.6 is 4.45, not 4.449999999999999.
  return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;
}
