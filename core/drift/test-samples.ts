/**
 * Deterministic samples shared by the drift tests and the Python that computed their expected
 * values (tests/reference/samples.py holds their Python twins). Only exact operations sit between the
 * generator and the numbers (uint32/2³², sums of twelve of them, one multiply and one add), so Python
 * reproduces every value bit for bit.
 */
import { seededRandom } from '../random';

/** Approximately normal values (Irwin–Hall: twelve uniforms minus 6), scaled and shifted. */
export function normalishSample(seed: number, n: number, mean = 0, sd = 1): Float64Array {
  const random = seededRandom(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < 12; k++) s += random();
    out[i] = (s - 6) * sd + mean;
  }
  return out;
}

/** Integers 0 … k−1 as floats: a sample full of ties. */
export function integerSample(seed: number, n: number, k: number): Float64Array {
  const random = seededRandom(seed);
  return Float64Array.from({ length: n }, () => Math.floor(random() * k));
}

/**
 * A sample as the reference fixtures (*.reference.ts) name it, so that the tests and the Python that
 * computed their expected values draw the same one: its values, or a generator above and its arguments.
 */
export type SampleSpec =
  | number[]
  | { normalish: [seed: number, n: number, mean?: number, sd?: number] }
  | { integers: [seed: number, n: number, k: number] };

export function sampleOf(spec: SampleSpec): Float64Array {
  if (Array.isArray(spec)) return Float64Array.from(spec);
  if ('normalish' in spec) return normalishSample(...spec.normalish);
  return integerSample(...spec.integers);
}
