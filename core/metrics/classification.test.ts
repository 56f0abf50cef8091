import { describe, expect, it } from 'vitest';
import { FlywheelError } from '../errors';
import { classificationMetrics } from './classification';
import { CLASSIFICATION_CASES, type ClassificationCase } from './classification.reference';
import type { ClassificationMetrics } from './result';

function run(c: Pick<ClassificationCase, 'yTrue' | 'proba'>): ClassificationMetrics {
  const k = c.proba[0].length;
  const labels = Array.from({ length: k }, (_, j) => `c${j}`);
  return classificationMetrics(Int32Array.from(c.yTrue), Float32Array.from(c.proba.flat()), labels);
}

describe('classificationMetrics agrees with scikit-learn 1.2.1', () => {
  it.each(CLASSIFICATION_CASES)('$name', (c) => {
    const m = run(c);
    expect(m.count).toBe(c.yTrue.length);
    for (const [name, expected] of Object.entries(c.values)) {
      const actual = m.values[name as keyof typeof c.values];
      if (expected === null) expect(actual, name).toBeNull();
      else expect(actual, name).toBeCloseTo(expected, 9);
    }
    expect(m.confusionMatrix).toEqual(c.confusion);
    c.perClass.forEach(([precision, recall, f1, support], j) => {
      const got = m.perClass[j];
      expect(got.label).toBe(`c${j}`);
      expect(got.precision).toBeCloseTo(precision, 9);
      expect(got.recall).toBeCloseTo(recall, 9);
      expect(got.f1).toBeCloseTo(f1, 9);
      expect(got.support).toBe(support);
    });
  });

  it('gives the reason sklearn refuses ROC AUC, and JSON keeps nulls', () => {
    expect(run(CLASSIFICATION_CASES[2]).reasons.roc_auc).toMatch(/class "c3" has no rows/);
    expect(run(CLASSIFICATION_CASES[3]).reasons.roc_auc).toMatch(/only one class/);
    expect(run(CLASSIFICATION_CASES[0]).reasons).toEqual({});
    // Of four classes, two absent: both named; one present: said as such, with its name.
    const proba = Float32Array.from({ length: 4 * 4 }, () => 0.25);
    const labels = ['a', 'b', 'c', 'd'];
    expect(classificationMetrics(Int32Array.from([0, 1, 0, 1]), proba, labels).reasons.roc_auc).toBe(
      'classes "c" and "d" have no rows in y_true, so their one-vs-rest ROC AUC is undefined',
    );
    expect(classificationMetrics(Int32Array.from([2, 2, 2, 2]), proba, labels).reasons.roc_auc).toBe(
      'only one class ("c") is present in y_true (no rows of "a", "b", "d"), so ROC AUC is undefined',
    );
    const json = JSON.parse(JSON.stringify(run(CLASSIFICATION_CASES[2])));
    expect(json.values.roc_auc).toBeNull();
  });

  it('is null for ROC AUC and log loss with one label', () => {
    const m = classificationMetrics(Int32Array.from([0, 0]), Float32Array.from([1, 1]), ['only']);
    expect(m.values.accuracy).toBe(1);
    expect(m.values.roc_auc).toBeNull();
    expect(m.values.log_loss).toBeNull();
    expect(Object.keys(m.reasons).sort()).toEqual(['log_loss', 'roc_auc']);
  });

  it('accepts float64 probabilities', () => {
    const c = CLASSIFICATION_CASES[0];
    const m = classificationMetrics(Int32Array.from(c.yTrue), Float64Array.from(c.proba.flat()), ['a', 'b']);
    expect(m.values.roc_auc).toBeCloseTo(c.values.roc_auc!, 12);
  });
});

describe('classificationMetrics refuses inputs it cannot mean anything on', () => {
  const bad = (f: () => unknown): FlywheelError => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(FlywheelError);
      return e as FlywheelError;
    }
    throw new Error('expected a FlywheelError');
  };

  it('names the row of a class index out of range', () => {
    const e = bad(() => classificationMetrics(Int32Array.from([0, 2]), new Float32Array(4), ['a', 'b']));
    expect(e.code).toBe('bad_input');
    expect(e.details[0].path).toBe('yTrue[1]');
  });

  it('names the cell of a NaN probability', () => {
    const e = bad(() =>
      classificationMetrics(Int32Array.from([0, 1]), Float32Array.from([0.5, 0.5, NaN, 1]), ['a', 'b']),
    );
    expect(e.details[0].path).toBe('proba[1][0]');
    expect(e.message).toContain('class "a"');
  });

  it('refuses a probability matrix of the wrong shape and an empty set', () => {
    expect(
      bad(() => classificationMetrics(Int32Array.from([0, 1]), new Float32Array(3), ['a', 'b'])).details[0].path,
    ).toBe('proba');
    expect(bad(() => classificationMetrics(new Int32Array(0), new Float32Array(0), ['a', 'b'])).details[0].path).toBe(
      'yTrue',
    );
  });
});
