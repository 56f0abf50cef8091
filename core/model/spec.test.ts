import { describe, it, expect } from 'vitest';
import { ModelSpecSchema, TrainSpecSchema } from './spec';

describe('ModelSpecSchema', () => {
  it('fills every default from an empty object', () => {
    expect(ModelSpecSchema.parse({})).toEqual({
      type: 'auto',
      budget: '60s',
      hidden: [64, 32],
      activation: 'relu',
      dropout: 0.1,
      l2: 0,
    });
  });

  it('rejects unknown keys, out-of-range values and activations the lean runtime lacks, naming the path', () => {
    const r = ModelSpecSchema.safeParse({ hiden: [8], dropout: 1, l2: -1, activation: 'gelu', hidden: [8, 0] });
    expect(r.success).toBe(false);
    const paths = r.error?.issues.map((i) => i.path.join('.')).sort();
    expect(paths).toEqual(['', 'activation', 'dropout', 'hidden.1', 'l2']);
  });

  it('rejects a budget that is not a duration, naming it', () => {
    for (const budget of ['60', '1d', '-5s', 'soon']) {
      const r = ModelSpecSchema.safeParse({ budget });
      expect(r.success).toBe(false);
      expect(r.error?.issues[0].path).toEqual(['budget']);
    }
    expect(ModelSpecSchema.parse({ budget: '2.5m' }).budget).toBe('2.5m');
  });

  it('accepts a linear model and an mlp with no hidden layer', () => {
    expect(ModelSpecSchema.parse({ type: 'linear' }).type).toBe('linear');
    expect(ModelSpecSchema.parse({ hidden: [] }).hidden).toEqual([]);
  });
});

describe('TrainSpecSchema', () => {
  it('fills every default, early stopping included', () => {
    expect(TrainSpecSchema.parse({})).toEqual({
      epochs: 100,
      batchSize: 32,
      optimizer: 'adam',
      learningRate: 0.005,
      earlyStopping: { patience: 10, metric: 'val_loss', minDelta: 0 },
      seed: 42,
      classWeights: 'none',
      backend: 'auto',
    });
  });

  it('fills defaults inside a partial earlyStopping and keeps null as "off"', () => {
    expect(TrainSpecSchema.parse({ earlyStopping: { patience: 3 } }).earlyStopping).toEqual({
      patience: 3,
      metric: 'val_loss',
      minDelta: 0,
    });
    expect(TrainSpecSchema.parse({ earlyStopping: null }).earlyStopping).toBeNull();
  });

  it('accepts class weights as balanced or a positive weight per label', () => {
    expect(TrainSpecSchema.parse({ classWeights: 'balanced' }).classWeights).toBe('balanced');
    expect(TrainSpecSchema.parse({ classWeights: { yes: 3 } }).classWeights).toEqual({ yes: 3 });
  });

  it('rejects bad values with their JSON paths', () => {
    const r = TrainSpecSchema.safeParse({
      epochs: 0,
      batchSize: 1.5,
      optimizer: 'lbfgs',
      learningRate: 0,
      earlyStopping: { patience: 2, bogus: 1 },
      classWeights: { yes: -1 },
      backend: 'tpu',
      extra: true,
    });
    expect(r.success).toBe(false);
    const paths = r.error?.issues.map((i) => i.path.join('.')).sort();
    expect(paths).toEqual([
      '',
      'backend',
      'batchSize',
      'classWeights.yes',
      'earlyStopping',
      'epochs',
      'learningRate',
      'optimizer',
    ]);
  });
});
