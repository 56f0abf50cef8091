/**
 * Independent seeds from one: each layer's initialiser, each Dropout and the shuffle stream get their
 * own, so adding a layer does not shift the random numbers of the others.
 */

/** A 32-bit seed mixed from `seed` and `salts` (murmur3's finaliser per step: cheap, well spread). */
export function deriveSeed(seed: number, ...salts: number[]): number {
  let h = seed >>> 0;
  for (const salt of [...salts, salts.length]) {
    h = Math.imul(h ^ (salt >>> 0), 0x9e3779b1) >>> 0;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b) >>> 0;
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h ^= h >>> 16;
  }
  // tfjs treats a falsy seed as "no seed" in places; never hand it 0.
  return h === 0 ? 1 : h;
}
