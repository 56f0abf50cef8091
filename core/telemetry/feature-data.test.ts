import { describe, expect, it } from 'vitest';
import type { Table } from '../data/table';
import { driftReport } from '../drift';
import { profileTable, type StringProfile, type TableProfile } from '../features/profile';
import { normal, seededRandom } from '../random';
import { OTHER_CATEGORY } from './category-sketch';
import { baselineFeatureData, driftInputs, windowFeatureData } from './feature-data';
import { RESERVOIR_SIZE } from './numeric-sketch';
import { TelemetryRecorder } from './recorder';
import type { RollupRecord } from './rollup';

const COLORS = ['red', 'green', 'blue'];

/** Rows of x ~ N(shift, 1) and a colour (red 50%, green 30%, blue 20%, or `extra` 20% taken from blue). */
function rows(seed: number, n: number, shift = 0, extra?: string): { x: number[]; color: string[] } {
  const random = seededRandom(seed);
  const x: number[] = [];
  const color: string[] = [];
  for (let i = 0; i < n; i++) {
    x.push(shift + normal(random));
    const u = random();
    color.push(u < 0.5 ? 'red' : u < 0.8 ? 'green' : (extra ?? 'blue'));
  }
  return { x, color };
}

function trainingProfile(): TableProfile {
  const { x, color } = rows(1, 5000);
  const table: Table = {
    rowCount: x.length,
    columns: [
      { kind: 'number', name: 'x', values: Float64Array.from(x) },
      { kind: 'string', name: 'color', codes: Int32Array.from(color, (c) => COLORS.indexOf(c)), dictionary: COLORS },
    ],
  };
  return profileTable(table);
}

/** Serving traffic as the edge records it: requests of 50 rows over three minutes, drained every 20 requests. */
function serve(profile: TableProfile, seed: number, shift = 0, extra?: string): RollupRecord[] {
  const recorder = new TelemetryRecorder({ seed });
  recorder.registerBaseline('m', '1', profile);
  const { x, color } = rows(seed, 3000, shift, extra);
  const out: RollupRecord[] = [];
  for (let i = 0; i < 60; i++) {
    const slice = { x: x.slice(i * 50, i * 50 + 50), color: color.slice(i * 50, i * 50 + 50) };
    recorder.record({ model: 'm', version: '1', at: i * 3000, latencyMs: 1, rows: 50, status: 200, features: slice });
    if (i % 20 === 19) out.push(...recorder.drain());
  }
  return out;
}

describe('windowFeatureData', () => {
  const profile = trainingProfile();

  it('merges a window’s sketches over the baseline’s bins', () => {
    const current = windowFeatureData(serve(profile, 2), profile);
    const x = current.x;
    if (x.type !== 'numeric') throw new Error('x should be numeric');
    expect(x.count).toBe(3000);
    expect(x.sample).toHaveLength(RESERVOIR_SIZE);
    const baselineX = profile.columns[0];
    expect(Array.from(x.histogram!.edges)).toEqual(baselineX.type === 'number' && baselineX.histogram.edges);
    const binned =
      Array.from(x.histogram!.counts).reduce((s, c) => s + c, 0) + x.histogram!.underflow! + x.histogram!.overflow!;
    expect(binned).toBe(3000);
    const color = current.color;
    expect(color.type === 'categorical' && Object.values(color.counts).reduce((s, c) => s + c, 0)).toBe(3000);
  });

  it('feeds driftReport: no drift on the training distribution, drift on a shifted one with a new category', () => {
    const quiet = driftReport(driftInputs(serve(profile, 3), profile));
    expect(quiet.features.map((f) => [f.feature, f.method, f.drifted])).toEqual([
      ['x', 'wasserstein', false],
      ['color', 'jensenshannon', false],
    ]);
    expect(quiet.dataset_drift).toBe(false);

    const shifted = driftReport(driftInputs(serve(profile, 4, 1, 'purple'), profile));
    expect(shifted.features.map((f) => [f.feature, f.drifted])).toEqual([
      ['x', true],
      ['color', true],
    ]);
    expect(shifted.features[0].psi).toBeGreaterThan(0.25);
    expect(shifted.dataset_drift).toBe(true);
  });

  it('reports an empty window as undecided rather than failing', () => {
    const report = driftReport(driftInputs([], profile));
    expect(report.features.map((f) => f.reason)).toEqual(['no current values', 'no current values']);
    expect(report.dataset_drift).toBe(false);
  });

  it('counts unseen categories past the cap under OTHER_CATEGORY', () => {
    const recorder = new TelemetryRecorder();
    recorder.registerBaseline('m', '1', profile);
    const color = Array.from({ length: 150 }, (_, i) => `c${i}`);
    recorder.record({ model: 'm', version: '1', at: 0, latencyMs: 1, rows: 150, status: 200, features: { color } });
    const current = windowFeatureData(recorder.drain(), profile).color;
    expect(
      current.type === 'categorical' && [Object.keys(current.counts).length, current.counts[OTHER_CATEGORY]],
    ).toEqual([101, 50]);
  });
});

describe('baselineFeatureData', () => {
  it('takes the profile’s sample, histogram and row count, and its untracked categories as OTHER_CATEGORY', () => {
    const profile = trainingProfile();
    const stringColumn = profile.columns[1] as StringProfile;
    const withOther: TableProfile = { ...profile, columns: [profile.columns[0], { ...stringColumn, other: 3 }] };
    const reference = baselineFeatureData(withOther);
    const x = reference.x;
    expect(x.type === 'numeric' && [x.count, x.sample.length]).toEqual([5000, 4096]);
    expect(reference.color).toEqual({ type: 'categorical', counts: { ...stringColumn.counts, [OTHER_CATEGORY]: 3 } });
  });
});
