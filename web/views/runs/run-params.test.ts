import { describe, expect, it } from 'vitest';
import { curve, curveSeries, headlineMetrics, keyParams, secondaryCurve } from './run-params';

describe('keyParams', () => {
  it('fills in the spec defaults', () => {
    expect(
      keyParams({ data: 'sample:penguins', target: 'Species', model: { type: 'mlp' }, train: { epochs: 5 } }),
    ).toEqual({
      model: 'mlp',
      hidden: '64×32',
      epochs: '5',
      learningRate: '0.005',
      batchSize: '32',
      target: 'Species',
      source: 'sample:penguins',
    });
    expect(keyParams({ data: 'sample:cars', target: 'Miles_per_Gallon', model: { type: 'linear' } }).hidden).toBe('—');
  });

  it('says a search (the default model) picks the layers, learning rate and batch size', () => {
    expect(keyParams({ data: 'sample:penguins', target: 'Species', train: { learningRate: 0.01 } })).toMatchObject({
      model: 'auto',
      hidden: 'searched',
      learningRate: 'searched',
      batchSize: 'searched',
    });
  });

  it('shows what an invalid spec has', () => {
    expect(keyParams({ target: 'y', model: { type: 'mlp' }, train: { epochs: 'x' } })).toMatchObject({
      model: 'mlp',
      target: 'y',
      epochs: '—',
    });
    expect(keyParams(null).model).toBe('—');
  });
});

describe('curves', () => {
  const history: Record<string, number>[] = [
    { epoch: 0, loss: 1, val_loss: 1.2, accuracy: 0.5 },
    { epoch: 1, loss: 0.5, accuracy: 0.8 },
  ];

  it('numbers epochs from 1 and skips missing values', () => {
    expect(curve(history, 'val_loss')).toEqual([{ x: 1, y: 1.2 }]);
    expect(curve(history, 'loss')).toEqual([
      { x: 1, y: 1 },
      { x: 2, y: 0.5 },
    ]);
  });

  it('gives a solid training and a dashed validation series per run, in the run colour', () => {
    const s = curveSeries(
      [
        { name: 'a', history },
        { name: 'b', history: [] },
      ],
      'loss',
      ['red', 'blue'],
    );
    expect(s).toEqual([
      {
        name: 'a loss',
        points: [
          { x: 1, y: 1 },
          { x: 2, y: 0.5 },
        ],
        color: 'red',
      },
      { name: 'a val_loss', points: [{ x: 1, y: 1.2 }], dashed: true, color: 'red' },
    ]);
    expect(secondaryCurve(history)).toBe('accuracy');
    expect(secondaryCurve([{ loss: 1, mae: 2 }])).toBe('mae');
    expect(secondaryCurve([])).toBeNull();
  });
});

describe('headlineMetrics', () => {
  it('picks by task', () => {
    expect(headlineMetrics({ accuracy: 1, f1_macro: 1, log_loss: 0.1 })).toEqual(['accuracy', 'f1_macro']);
    expect(headlineMetrics({ mae: 1, rmse: 2, r2: 0.5 })).toEqual(['rmse', 'r2']);
    expect(headlineMetrics(undefined)).toEqual([]);
  });
});
