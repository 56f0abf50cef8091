import { describe, expect, it } from 'vitest';
import { TelemetryRecorder, type TelemetryBaseline } from '../core/telemetry';
import { rollupJson } from './rollup-json';

describe('rollupJson', () => {
  it('parses back to the rollup JSON.stringify gives', async () => {
    const recorder = new TelemetryRecorder({ seed: 3 });
    const baseline = {
      columns: [
        { name: 'x', type: 'numeric', histogram: { edges: [0, 1, 2], counts: [5, 5] } },
        { name: 'c', type: 'categorical', counts: { a: 3, b: 7 } },
      ],
    } as unknown as TelemetryBaseline;
    recorder.registerBaseline('m', '1', baseline);
    for (let i = 0; i < 50; i++) recorder.record({ model: 'm', version: '1', at: 1000, latencyMs: i / 10, rows: 1, status: 200, predictions: { values: [i] }, records: [{ x: i / 25, c: i % 3 ? 'a' : 'z' }] });
    const [record] = recorder.drain();
    const text = await rollupJson(record.rollup);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(record.rollup)));
    expect(Object.keys(JSON.parse(text).features)).toEqual(['x', 'c']);
  });

  it('writes a rollup without features', async () => {
    const recorder = new TelemetryRecorder();
    recorder.record({ model: 'm', version: '1', at: 0, latencyMs: 1, rows: 1, status: 500 });
    const [record] = recorder.drain();
    expect(JSON.parse(await rollupJson(record.rollup))).toEqual(JSON.parse(JSON.stringify(record.rollup)));
  });
});
