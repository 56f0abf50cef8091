import { describe, expect, it } from 'vitest';
import { FlywheelError } from '../errors';
import { seededRandom } from '../random';
import type { TelemetryBaseline } from './baseline';
import { MAX_UNSEEN_CATEGORIES, type CategoricalSketch } from './category-sketch';
import { RESERVOIR_SIZE, type NumericSketch } from './numeric-sketch';
import { TelemetryRecorder, type TelemetryEvent } from './recorder';
import { emptyRollup, mergeRollups, minuteStart, type Rollup } from './rollup';

const BASELINE: TelemetryBaseline = {
  columns: [
    { name: 'x', type: 'number', histogram: { edges: [0, 10, 20, 30] } },
    { name: 'city', type: 'string', counts: { paris: 1, oslo: 1 } },
  ],
};
const CITIES = ['paris', 'oslo', 'lima', 'rome', 'constructor'];

/**
 * A rollup of `n` seeded requests. Latencies and values are multiples of 1/8, so every sum is exact
 * in floating point whatever the order of addition and merges can be compared with toEqual.
 */
function rollupOf(seed: number, n: number): Rollup {
  const random = seededRandom(seed);
  const recorder = new TelemetryRecorder({ seed });
  recorder.registerBaseline('m', '1', BASELINE);
  for (let i = 0; i < n; i++) {
    const rows = 1 + Math.floor(random() * 3);
    const event: TelemetryEvent = {
      model: 'm',
      version: '1',
      at: 0,
      latencyMs: Math.floor(random() * 800) / 8,
      rows,
      status: [200, 200, 200, 400, 500][Math.floor(random() * 5)],
      predictions: { labels: Array.from({ length: rows }, () => (random() < 0.3 ? 'yes' : 'no')) },
      features: {
        x: Array.from({ length: rows }, () => (random() < 0.1 ? null : Math.floor(random() * 320 - 8) / 8)),
        city: Array.from({ length: rows }, () => CITIES[Math.floor(random() * CITIES.length)]),
      },
    };
    recorder.record(event);
  }
  return recorder.drain()[0].rollup;
}

/** Everything but the reservoir samples, which depend on merge order by design. */
function countsOf(r: Rollup): unknown {
  const features = Object.fromEntries(
    Object.entries(r.features).map(([name, s]) => [
      name,
      s.type === 'numeric' ? { ...s, sample: s.sample.length } : { ...s },
    ]),
  );
  return JSON.parse(JSON.stringify({ ...r, features }));
}

describe('mergeRollups', () => {
  const a = rollupOf(1, 400);
  const b = rollupOf(2, 250);
  const c = rollupOf(3, 50);

  it('adds every count: associative and commutative', () => {
    const left = countsOf(mergeRollups(mergeRollups(a, b), c));
    expect(countsOf(mergeRollups(a, mergeRollups(b, c)))).toEqual(left);
    expect(countsOf(mergeRollups(c, mergeRollups(b, a)))).toEqual(left);
    expect(countsOf(mergeRollups(b, a))).toEqual(countsOf(mergeRollups(a, b)));
  });

  it('gives the totals of all the traffic', () => {
    const all = mergeRollups(mergeRollups(a, b), c);
    expect(all.requests).toBe(700);
    expect(all.rows).toBe(a.rows + b.rows + c.rows);
    expect(all.latency.count).toBe(700);
    expect(all.errors['5xx']).toBe(a.errors['5xx'] + b.errors['5xx'] + c.errors['5xx']);
    const x = all.features.x as NumericSketch;
    const xs = [a, b, c].map((r) => r.features.x as NumericSketch);
    expect(x.counts).toEqual([0, 1, 2].map((i) => xs.reduce((s, k) => s + k.counts[i], 0)));
    expect(x.count + x.missing).toBe(all.rows);
    expect(x.underflow + x.overflow + x.counts.reduce((s, v) => s + v, 0)).toBe(x.count);
    const city = all.features.city as CategoricalSketch;
    const name: string = 'constructor';
    expect(city.unseen[name]).toBe(
      [a, b, c].reduce((s, r) => s + ((r.features.city as CategoricalSketch).unseen[name] ?? 0), 0),
    );
    expect(city.unseen[name]).toBeGreaterThan(0);
  });

  it('is neutral with an empty rollup and shares no state with its inputs', () => {
    const merged = mergeRollups(a, emptyRollup());
    expect(countsOf(merged)).toEqual(countsOf(a));
    (merged.features.x as NumericSketch).counts[0] += 100;
    (merged.features.city as CategoricalSketch).counts.paris += 100;
    expect((a.features.x as NumericSketch).counts[0]).not.toBe((merged.features.x as NumericSketch).counts[0]);
    expect((a.features.city as CategoricalSketch).counts.paris).not.toBe(
      (merged.features.city as CategoricalSketch).counts.paris,
    );
  });

  it('merges reservoirs weighted by the values they stand for, reproducibly', () => {
    const big = {
      ...emptyRollup(),
      features: {
        x: sketchOf(
          Array.from({ length: 3000 }, (_, i) => i / 3000),
          'x',
        ),
      },
    };
    const small = {
      ...emptyRollup(),
      features: {
        x: sketchOf(
          Array.from({ length: 1000 }, (_, i) => 10 + i / 1000),
          'x',
        ),
      },
    };
    const sample = (mergeRollups(big, small, 7).features.x as NumericSketch).sample;
    expect(sample).toHaveLength(RESERVOIR_SIZE);
    expect(sample.filter((v) => v < 10)).toHaveLength(750);
    expect((mergeRollups(big, small, 7).features.x as NumericSketch).sample).toEqual(sample);
    expect((mergeRollups(big, small, 8).features.x as NumericSketch).sample).not.toEqual(sample);
  });

  it('keeps every value while the union fits in the reservoir', () => {
    const one = { ...emptyRollup(), features: { x: sketchOf([1, 2, 3], 'x') } };
    const two = { ...emptyRollup(), features: { x: sketchOf([4, 5], 'x') } };
    expect((mergeRollups(one, two).features.x as NumericSketch).sample.sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('merges rollups read back from JSON, category names like "__proto__" included', () => {
    const stored = JSON.parse(JSON.stringify(a)) as Rollup;
    const withProto = rollupOf(4, 1);
    (withProto.features.city as CategoricalSketch).unseen['__proto__'] = 2;
    (withProto.features.city as CategoricalSketch).unseenNames++;
    const merged = mergeRollups(stored, JSON.parse(JSON.stringify(withProto)) as Rollup);
    expect(countsOf(merged)).toEqual(countsOf(mergeRollups(a, withProto)));
    expect(Object.keys((merged.features.city as CategoricalSketch).unseen)).toContain('__proto__');
  });

  it('keeps the most frequent unseen names when two sketches together pass the cap, totals exact', () => {
    const named = (from: number, to: number): Rollup => {
      const recorder = new TelemetryRecorder();
      recorder.registerBaseline('m', '1', BASELINE);
      const city = Array.from({ length: to - from }, (_, i) => `u${from + i}`);
      recorder.record({
        model: 'm',
        version: '1',
        at: 0,
        latencyMs: 1,
        rows: city.length,
        status: 200,
        features: { city },
      });
      return recorder.drain()[0].rollup;
    };
    const merged = mergeRollups(named(0, 80), named(50, 130)).features.city as CategoricalSketch;
    const names = Object.keys(merged.unseen);
    expect([names.length, merged.unseenNames]).toEqual([MAX_UNSEEN_CATEGORIES, MAX_UNSEEN_CATEGORIES]);
    for (let i = 50; i < 80; i++) expect(merged.unseen[`u${i}`]).toBe(2);
    expect(names.reduce((s, n) => s + merged.unseen[n], 0) + merged.other).toBe(160);
    expect(merged.count).toBe(160);
  });

  it('refuses sketches of one feature over different bins or of different types', () => {
    const fewer = { ...emptyRollup(), features: { x: { ...(a.features.x as NumericSketch), counts: [1, 2] } } };
    expect(() => mergeRollups(a, fewer)).toThrow(FlywheelError);
    const categorical = { ...emptyRollup(), features: { x: a.features.city } };
    expect(() => mergeRollups(a, categorical)).toThrow(/features\.x/);
  });
});

describe('minuteStart', () => {
  it('is the start of the minute holding the time', () => {
    expect([minuteStart(0), minuteStart(59_999), minuteStart(60_000), minuteStart(1_700_000_123_456)]).toEqual([
      0, 0, 60_000, 1_700_000_100_000,
    ]);
  });
});

function sketchOf(values: number[], name: string): NumericSketch {
  const recorder = new TelemetryRecorder();
  recorder.registerBaseline('m', '1', { columns: [{ name, type: 'number', histogram: { edges: [0, 1] } }] });
  recorder.record({
    model: 'm',
    version: '1',
    at: 0,
    latencyMs: 1,
    rows: values.length,
    status: 200,
    features: { [name]: values },
  });
  return recorder.drain()[0].rollup.features[name] as NumericSketch;
}
