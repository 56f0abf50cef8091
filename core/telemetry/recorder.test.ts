import { describe, expect, it } from 'vitest';
import { histogramOf } from '../drift';
import { FlywheelError } from '../errors';
import type { Table } from '../data/table';
import { profileTable } from '../features/profile';
import { normal, seededRandom } from '../random';
import type { TelemetryBaseline } from './baseline';
import { MAX_UNSEEN_CATEGORIES, type CategoricalSketch } from './category-sketch';
import { RESERVOIR_SIZE, type NumericSketch } from './numeric-sketch';
import { TelemetryRecorder, type TelemetryEvent } from './recorder';

const BASELINE: TelemetryBaseline = {
  columns: [
    { name: 'x', type: 'number', histogram: { edges: [0, 1, 2, 4, 8] } },
    { name: 'color', type: 'string', counts: { red: 5, blue: 3 } },
  ],
};

function event(over: Partial<TelemetryEvent> = {}): TelemetryEvent {
  return { model: 'm', version: '1', at: 1_000, latencyMs: 2, rows: 1, status: 200, ...over };
}

function recorderWithBaseline(seed = 1): TelemetryRecorder {
  const r = new TelemetryRecorder({ seed });
  r.registerBaseline('m', '1', BASELINE);
  return r;
}

describe('TelemetryRecorder: feature sketches', () => {
  it('bins numbers over the baseline edges: [e_i, e_i+1), the last bin closed, out-of-range counted apart', () => {
    const r = recorderWithBaseline();
    const x = [-1, 0, 0.5, 1, 3.999, 4, 8, 8.0001, NaN, null, 'x', Infinity];
    r.record(event({ rows: x.length, features: { x } }));
    const sketch = r.drain()[0].rollup.features.x as NumericSketch;
    expect(sketch.counts).toEqual([2, 1, 1, 2]);
    expect([sketch.underflow, sketch.overflow, sketch.count, sketch.missing]).toEqual([1, 1, 8, 4]);
    expect([sketch.min, sketch.max]).toEqual([-1, 8.0001]);
  });

  it('agrees with core/drift’s histogramOf on random values, and with the profile of the training data', () => {
    const random = seededRandom(9);
    const values = Array.from({ length: 3000 }, () => 3 + 2.5 * normal(random));
    const r = recorderWithBaseline();
    for (let i = 0; i < values.length; i += 100)
      r.record(event({ rows: 100, features: { x: values.slice(i, i + 100) } }));
    const sketch = r.drain()[0].rollup.features.x as NumericSketch;
    const expected = histogramOf(values, [0, 1, 2, 4, 8]);
    expect(sketch.counts).toEqual(Array.from(expected.counts));
    expect([sketch.underflow, sketch.overflow]).toEqual([expected.underflow, expected.overflow]);

    // Recording the training data itself reproduces the profile's histogram bin for bin.
    const table: Table = {
      rowCount: values.length,
      columns: [{ kind: 'number', name: 'x', values: Float64Array.from(values) }],
    };
    const profile = profileTable(table);
    const fromProfile = new TelemetryRecorder();
    fromProfile.registerBaseline('m', '1', profile);
    fromProfile.record(event({ rows: values.length, features: { x: values } }));
    const again = fromProfile.drain()[0].rollup.features.x as NumericSketch;
    const column = profile.columns[0];
    expect(column.type === 'number' && again.counts).toEqual(column.type === 'number' && column.histogram.counts);
  });

  it('counts known categories, unseen ones by name up to the cap, then together', () => {
    const r = recorderWithBaseline();
    r.record(event({ rows: 6, features: { color: ['red', 'red', 'blue', 'green', null, 7] } }));
    const unseen = Array.from({ length: MAX_UNSEEN_CATEGORIES + 30 }, (_, i) => `new-${i}`);
    r.record(event({ rows: unseen.length, features: { color: [...unseen, 'green'] } }));
    const sketch = r.drain()[0].rollup.features.color as CategoricalSketch;
    expect({ ...sketch.counts }).toEqual({ red: 2, blue: 1 });
    expect(sketch.unseen.green).toBe(2);
    expect(sketch.unseen['7']).toBe(1);
    expect(sketch.unseenNames).toBe(MAX_UNSEEN_CATEGORIES);
    expect(Object.keys(sketch.unseen)).toHaveLength(MAX_UNSEEN_CATEGORIES);
    // green and "7" took two of the named slots, so 98 new names fit and 32 did not
    expect(sketch.other).toBe(MAX_UNSEEN_CATEGORIES + 30 - (MAX_UNSEEN_CATEGORIES - 2));
    expect([sketch.count, sketch.missing]).toEqual([5 + unseen.length + 1, 1]);
  });

  it('treats names such as "constructor" and "__proto__" as plain categories', () => {
    const r = recorderWithBaseline();
    r.record(event({ rows: 3, features: { color: ['constructor', '__proto__', 'constructor'] } }));
    const sketch = r.drain()[0].rollup.features.color as CategoricalSketch;
    const name: string = 'constructor';
    expect(sketch.unseen[name]).toBe(2);
    expect(Object.keys(sketch.unseen).sort()).toEqual(['__proto__', 'constructor']);
    expect(JSON.parse(JSON.stringify(sketch)).unseen).toEqual(JSON.parse('{"constructor":2,"__proto__":1}'));
  });

  it('counts a column absent from the request as missing on every row, and ignores columns not in the baseline', () => {
    const r = recorderWithBaseline();
    r.record(event({ rows: 4, features: { x: [1, 2, 3, 4], extra: ['a', 'b', 'c', 'd'] } }));
    const rollup = r.drain()[0].rollup;
    expect(Object.keys(rollup.features).sort()).toEqual(['color', 'x']);
    expect((rollup.features.color as CategoricalSketch).missing).toBe(4);
  });

  it('keeps a seeded uniform reservoir: all values while they fit, then RESERVOIR_SIZE drawn over all of them', () => {
    const small = recorderWithBaseline();
    small.record(event({ rows: 5, features: { x: [5, 4, 3, 2, 1] } }));
    expect((small.drain()[0].rollup.features.x as NumericSketch).sample).toEqual([5, 4, 3, 2, 1]);

    const sorted = Array.from({ length: 5000 }, (_, i) => i);
    const sampleOf = (seed: number): number[] => {
      const r = recorderWithBaseline(seed);
      for (let i = 0; i < sorted.length; i += 50)
        r.record(event({ rows: 50, features: { x: sorted.slice(i, i + 50) } }));
      return (r.drain()[0].rollup.features.x as NumericSketch).sample;
    };
    const sample = sampleOf(3);
    expect(sample).toHaveLength(RESERVOIR_SIZE);
    expect(new Set(sample).size).toBe(RESERVOIR_SIZE);
    // A reservoir that kept the first values would average ~500; a uniform one ~2500 (σ ≈ 41).
    expect(Math.abs(sample.reduce((s, v) => s + v, 0) / sample.length - 2499.5)).toBeLessThan(150);
    expect(sampleOf(3)).toEqual(sample);
    expect(sampleOf(4)).not.toEqual(sample);
  });

  it('reads a feature named like an Object.prototype property only from the request’s own columns', () => {
    const r = new TelemetryRecorder();
    r.registerBaseline('m', '1', { columns: [{ name: 'constructor', type: 'number', histogram: { edges: [0, 1] } }] });
    r.record(event({ rows: 2, features: {} }));
    r.record(event({ rows: 1, features: { constructor: [0.5] } }));
    const name: string = 'constructor';
    const sketch = r.drain()[0].rollup.features[name] as NumericSketch;
    expect([sketch.missing, sketch.count, sketch.counts]).toEqual([2, 1, [1]]);
  });

  it('does not sketch features of a version without a baseline', () => {
    const r = new TelemetryRecorder();
    r.record(event({ features: { x: [1] } }));
    expect(Object.keys(r.drain()[0].rollup.features)).toEqual([]);
  });

  it('refuses baseline edges that are not ascending', () => {
    const r = new TelemetryRecorder();
    const bad: TelemetryBaseline = { columns: [{ name: 'x', type: 'number', histogram: { edges: [0, 2, 1] } }] };
    expect(() => r.registerBaseline('m', '1', bad)).toThrow(/baseline\.columns\[0\]\.histogram\.edges/);
  });
});

describe('TelemetryRecorder: requests, predictions, minutes', () => {
  it('counts requests, rows, errors by class and latency per minute', () => {
    const r = new TelemetryRecorder();
    for (const [status, at] of [
      [200, 0],
      [404, 10],
      [429, 59_999],
      [500, 60_000],
      [503, 61_000],
      [0, 62_000],
    ]) {
      r.record(event({ status, at, rows: 3 }));
    }
    const records = r.drain();
    expect(records.map((x) => [x.minute, x.rollup.requests, x.rollup.rows, x.rollup.errors])).toEqual([
      [0, 3, 9, { '4xx': 2, '5xx': 0 }],
      [60_000, 3, 9, { '4xx': 0, '5xx': 3 }],
    ]);
    expect(records[0].rollup.latency.count).toBe(3);
    expect(r.drain()).toEqual([]);
  });

  it('keeps lifetime totals per status class across drains', () => {
    const r = new TelemetryRecorder();
    r.record(event({ status: 200, rows: 2 }));
    r.drain();
    r.record(event({ status: 503, rows: 1, version: '2' }));
    r.record(event({ status: 201, rows: 5 }));
    const totals = r.totals();
    expect(totals.map((t) => [t.version, t.requests['2xx'], t.requests['5xx'], t.rows, t.latency.count])).toEqual([
      ['1', 2, 0, 7, 2],
      ['2', 0, 1, 1, 1],
    ]);
  });

  it('counts predicted labels, sketches predicted values, and refuses both in one version', () => {
    const r = new TelemetryRecorder();
    r.registerBaseline('reg', '1', { columns: [] }, { predictionEdges: [0, 10, 20] });
    r.record(event({ rows: 3, predictions: { labels: ['a', 'b', 'a'] } }));
    r.record(event({ model: 'reg', rows: 4, predictions: { values: [5, 15, 25, null] } }));
    const drained = r.drain();
    const labels = drained.find((x) => x.model === 'm')!.rollup.predictions;
    const values = drained.find((x) => x.model === 'reg')!.rollup.predictions;
    expect(labels?.type === 'labels' && { ...labels.counts }).toEqual({ a: 2, b: 1 });
    expect(values?.type === 'numeric' && [values.counts, values.overflow, values.missing, values.sum]).toEqual([
      [1, 1],
      1,
      1,
      45,
    ]);
    r.record(event({ predictions: { labels: ['a'] } }));
    expect(() => r.record(event({ predictions: { values: [1] } }))).toThrow(FlywheelError);
  });
});

describe('TelemetryRecorder: restore', () => {
  it('puts a failed batch back, merged with what was recorded since, losing nothing', () => {
    const r = recorderWithBaseline();
    for (let i = 0; i < 3; i++) r.record(event({ rows: 2, features: { x: [1, 5], color: ['red', 'pink'] } }));
    const failed = r.drain();
    r.record(event({ rows: 1, features: { x: [9], color: ['blue'] } }));
    r.record(event({ at: 70_000, rows: 1, features: { x: [0.5], color: ['red'] } }));
    r.restore(failed);
    expect(r.buffered).toBe(2);
    r.record(event({ rows: 1, features: { x: [3], color: ['pink'] } }));
    const records = r.drain();
    const first = records.find((x) => x.minute === 0)!.rollup;
    expect([first.requests, first.rows]).toEqual([5, 8]);
    const x = first.features.x as NumericSketch;
    expect([x.counts, x.overflow, x.count]).toEqual([[0, 3, 1, 3], 1, 8]);
    const color = first.features.color as CategoricalSketch;
    expect([{ ...color.counts }, { ...color.unseen }]).toEqual([{ red: 3, blue: 1 }, { pink: 4 }]);
    expect(records.find((x) => x.minute === 60_000)!.rollup.requests).toBe(1);
  });
});
