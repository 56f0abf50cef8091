import { describe, expect, it } from 'vitest';
import { checkBudget, checkEpochs, checkHidden, checkLearningRate } from './pipeline-fields';

describe('pipeline form fields', () => {
  it('hidden layers: whole numbers of units, commas or spaces', () => {
    expect(checkHidden('64, 32')).toEqual({ ok: true, value: [64, 32] });
    expect(checkHidden('128 64 8')).toEqual({ ok: true, value: [128, 64, 8] });
    expect(checkHidden('  ')).toEqual({ ok: true, value: undefined });
    expect(checkHidden('64, abc')).toMatchObject({
      ok: false,
      message: expect.stringContaining('"abc" is not a layer size'),
    });
    expect(checkHidden('0')).toMatchObject({ ok: false });
    expect(checkHidden('1.5')).toMatchObject({ ok: false });
    expect(checkHidden('5000')).toMatchObject({ ok: false });
  });

  it('epochs: a whole number of at least 1', () => {
    expect(checkEpochs('30')).toEqual({ ok: true, value: 30 });
    expect(checkEpochs('')).toEqual({ ok: true, value: undefined });
    expect(checkEpochs('0')).toMatchObject({ ok: false, message: expect.stringContaining('at least 1') });
    expect(checkEpochs('2.5')).toMatchObject({ ok: false });
    expect(checkEpochs('-3')).toMatchObject({ ok: false });
  });

  it('learning rate: above 0', () => {
    expect(checkLearningRate('0.01')).toEqual({ ok: true, value: 0.01 });
    expect(checkLearningRate('1e-3')).toEqual({ ok: true, value: 0.001 });
    expect(checkLearningRate('0')).toMatchObject({ ok: false, message: expect.stringContaining('above 0') });
    expect(checkLearningRate('fast')).toMatchObject({ ok: false });
  });

  it('budget: a duration in seconds, minutes or hours', () => {
    expect(checkBudget('15s')).toEqual({ ok: true, value: '15s' });
    expect(checkBudget(' 2.5m ')).toEqual({ ok: true, value: '2.5m' });
    expect(checkBudget('')).toEqual({ ok: true, value: undefined });
    expect(checkBudget('60')).toMatchObject({ ok: false, message: expect.stringContaining('(not "60")') });
    expect(checkBudget('1 day')).toMatchObject({ ok: false });
  });
});
