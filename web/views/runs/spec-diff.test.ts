import { describe, expect, it } from 'vitest';
import { formatSpecValue, specDiff } from './spec-diff';

const base = {
  data: 'sample:penguins',
  target: 'Species',
  model: { type: 'mlp', hidden: [64, 32], dropout: 0.1 },
  train: { epochs: 40, learningRate: 0.005 },
  gates: [{ metric: 'accuracy', min: 0.8 }],
};

describe('specDiff', () => {
  it('lists changed leaves with every value, arrays of numbers as one value', () => {
    const other = {
      ...base,
      model: { type: 'mlp', hidden: [16], dropout: 0.1 },
      train: { epochs: 40, learningRate: 0.01, batchSize: 64 },
    };
    expect(specDiff([base, other])).toEqual([
      { path: 'model.hidden', values: [[64, 32], [16]] },
      { path: 'train.learningRate', values: [0.005, 0.01] },
      { path: 'train.batchSize', values: [undefined, 64] },
    ]);
  });

  it('walks arrays of objects by index and reports removed keys', () => {
    const other = {
      ...base,
      gates: [
        { metric: 'accuracy', min: 0.9 },
        { metric: 'f1_macro', min: 0.7 },
      ],
      target: undefined,
    };
    expect(specDiff([base, other]).map((c) => c.path)).toEqual(['target', 'gates[0].min', 'gates[1]']);
  });

  it('compares three specs against each other at once', () => {
    const changes = specDiff([base, base, { ...base, model: { ...base.model, type: 'linear' } }]);
    expect(changes).toEqual([{ path: 'model.type', values: ['mlp', 'mlp', 'linear'] }]);
  });

  it('reports nothing for equal specs or a single spec', () => {
    expect(specDiff([base, structuredClone(base)])).toEqual([]);
    expect(specDiff([base])).toEqual([]);
  });

  it('a whole object that replaces a scalar is one change', () => {
    expect(specDiff([{ data: 'sample:cars' }, { data: { source: 'sample:cars', test: 'x.csv' } }])).toEqual([
      { path: 'data', values: ['sample:cars', { source: 'sample:cars', test: 'x.csv' }] },
    ]);
    expect(formatSpecValue(undefined)).toBe('—');
    expect(formatSpecValue([64, 32])).toBe('[64,32]');
  });
});
