import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random';
import { KllSketch } from './kll';

const QS = [0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99];

/** Seeded values with a heavy tail, ties and a sorted stretch: what a profile meets. */
function values(n: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  return Float64Array.from({ length: n }, (_, i) =>
    i < n / 4 ? i : random() < 0.2 ? Math.floor(random() * 10) : -Math.log(random()) * 1000,
  );
}

/** The largest distance between q and the range of ranks the sketch's answer holds in the exact data. */
function worstRankError(sketch: KllSketch, data: Float64Array): number {
  const sorted = Float64Array.from(data).sort();
  const rankBelow = (v: number) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const rankAtOrBelow = (v: number) => rankBelow(v) + sorted.filter((x) => x === v).length;
  let worst = 0;
  sketch.quantiles(QS).forEach((v, i) => {
    const lo = rankBelow(v) / sorted.length;
    const hi = rankAtOrBelow(v) / sorted.length;
    worst = Math.max(worst, QS[i] < lo ? lo - QS[i] : QS[i] > hi ? QS[i] - hi : 0);
  });
  return worst;
}

describe('KllSketch', () => {
  it('answers quantiles of 400k values within 0.5% of rank, with a few thousand values retained', () => {
    const data = values(400_000, 1);
    const sketch = new KllSketch();
    for (const v of data) sketch.update(v);
    expect(sketch.n).toBe(400_000);
    expect(worstRankError(sketch, data)).toBeLessThan(0.005);
    const retained = sketch.toJSON().levels.reduce((s, l) => s + atob(l).length / 8, 0);
    expect(retained).toBeLessThan(4000);
  });

  it('merges: 100 sketches of 4k values each answer for all 400k within 0.5% of rank', () => {
    const data = values(400_000, 2);
    let merged = new KllSketch(undefined, 0);
    for (let part = 0; part < 100; part++) {
      const s = new KllSketch(undefined, part + 1);
      for (let i = part * 4000; i < (part + 1) * 4000; i++) s.update(data[i]);
      // Through JSON, as profiles travel.
      merged.merge(KllSketch.fromJSON(JSON.parse(JSON.stringify(s.toJSON()))));
      merged = KllSketch.fromJSON(merged.toJSON(), part);
    }
    expect(merged.n).toBe(400_000);
    expect(worstRankError(merged, data)).toBeLessThan(0.005);
  });

  it('is exact while nothing was compacted, and empty gives NaN', () => {
    const s = new KllSketch();
    for (const v of [5, 1, 4, 2, 3, NaN]) s.update(v);
    expect(s.n).toBe(5);
    expect(s.quantiles([0, 0.5, 1])).toEqual([1, 3, 5]);
    expect(new KllSketch().quantile(0.5)).toBeNaN();
  });
});

describe('KllSketch.fromSorted', () => {
  it('stands for every value, within 0.1% of rank, and merges with streamed sketches', () => {
    for (const n of [1, 7, 1000, 1001, 123_457]) {
      const data = values(n, n);
      const sorted = Float64Array.from(data).sort();
      const s = KllSketch.fromSorted(sorted);
      expect(s.n).toBe(n);
      // The retained values' weights add up to n.
      expect(s.toJSON().levels.reduce((sum, l, h) => sum + (atob(l).length / 8) * 2 ** h, 0)).toBe(n);
      expect(worstRankError(s, data)).toBeLessThanOrEqual(n > 1000 ? 0.001 : 0);
    }
    const a = values(300_000, 9);
    const b = values(100_000, 10);
    const merged = KllSketch.fromSorted(Float64Array.from(a).sort());
    const streamed = new KllSketch(undefined, 3);
    for (const v of b) streamed.update(v);
    merged.merge(streamed);
    const both = new Float64Array(400_000);
    both.set(a);
    both.set(b, 300_000);
    expect(worstRankError(merged, both)).toBeLessThan(0.005);
  });
});
