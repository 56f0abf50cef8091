/**
 * Deterministic samples shared by the drift tests and the Python that computed their expected
 * values. Only exact operations sit between the generator and the numbers (uint32/2³², sums of
 * twelve of them, one multiply and one add), so Python reproduces every value bit for bit:
 *
 *   def mulberry32(seed):                       # core/random.ts seededRandom
 *       a = seed & 0xFFFFFFFF
 *       def rnd():
 *           nonlocal a
 *           a = (a + 0x6D2B79F5) & 0xFFFFFFFF
 *           t = ((a ^ (a >> 15)) * (a | 1)) & 0xFFFFFFFF
 *           t ^= (t + (((t ^ (t >> 7)) * (t | 61)) & 0xFFFFFFFF)) & 0xFFFFFFFF
 *           return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296
 *       return rnd
 *   def normalish(seed, n, mean=0.0, sd=1.0):
 *       r = mulberry32(seed); out = []
 *       for _ in range(n):
 *           s = 0.0
 *           for _ in range(12): s += r()
 *           out.append((s - 6) * sd + mean)
 *       return out
 *   def integers(seed, n, k):
 *       r = mulberry32(seed); return [float(math.floor(r() * k)) for _ in range(n)]
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
