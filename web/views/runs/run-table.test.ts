import { describe, expect, it } from 'vitest';
import type { Run } from '../../lib/db';
import { epochsRun, parseTags, sortRuns } from './run-table';

function run(id: string, over: Partial<Run>): Run {
  return {
    id,
    name: id,
    spec: { data: 'sample:penguins', target: 'Species', model: { type: 'mlp' } },
    status: 'succeeded',
    tags: [],
    history: [],
    warnings: [],
    startedAt: 0,
    ...over,
  };
}
const epochs = (n: number) => Array.from({ length: n }, (_, epoch) => ({ epoch, loss: 1 }));

describe('sortRuns', () => {
  const runs = [
    run('b', {
      startedAt: 2,
      metrics: { accuracy: 0.9, f1_macro: 0.8 },
      spec: { data: 'sample:penguins', target: 'Species', model: { type: 'mlp' }, train: { learningRate: 0.01 } },
    }),
    run('a', { startedAt: 3, metrics: { accuracy: 0.95, f1_macro: 0.9 } }),
    run('c', { startedAt: 1, status: 'failed' }),
  ];
  it('sorts by metric, missing values last in either direction', () => {
    expect(sortRuns(runs, 'metric', 'descending').map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(sortRuns(runs, 'metric', 'ascending').map((r) => r.id)).toEqual(['b', 'a', 'c']);
  });
  it('sorts by name, learning rate and start time', () => {
    expect(sortRuns(runs, 'name', 'ascending').map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(sortRuns(runs, 'learningRate', 'descending').map((r) => r.id)).toEqual(['b', 'a', 'c']);
    expect(sortRuns(runs, 'started', 'ascending').map((r) => r.id)).toEqual(['c', 'b', 'a']);
  });
});

describe('epochsRun', () => {
  const spec = { data: 'sample:penguins', target: 'Species', train: { epochs: 100, earlyStopping: { patience: 7 } } };
  it('explains a run that stopped early', () => {
    const r = epochsRun({ spec, history: epochs(23), status: 'succeeded' });
    expect(r.text).toBe('23/100');
    expect(r.earlyStop).toBe(
      'Early stop: val_loss did not improve for 7 epochs, so training ended after epoch 23 of 100 and kept the weights of its best epoch.',
    );
  });
  it('says nothing more when all epochs ran, the run failed, or it is still running', () => {
    expect(epochsRun({ spec, history: epochs(100), status: 'succeeded' })).toEqual({
      text: '100/100',
      earlyStop: null,
    });
    expect(epochsRun({ spec, history: epochs(5), status: 'failed' }).earlyStop).toBeNull();
    expect(epochsRun({ spec, history: epochs(5), status: 'running' })).toEqual({ text: '100', earlyStop: null });
    expect(
      epochsRun({
        spec: { ...spec, train: { epochs: 100, earlyStopping: null } },
        history: epochs(50),
        status: 'succeeded',
      }).earlyStop,
    ).toBeNull();
  });
});

describe('parseTags', () => {
  it('trims, drops empties and repeats', () => {
    expect(parseTags(' baseline, wide net,,baseline ')).toEqual(['baseline', 'wide net']);
    expect(parseTags('')).toEqual([]);
  });
});
