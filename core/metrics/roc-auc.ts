/**
 * ROC AUC as scikit-learn's `roc_auc_score`: binary on the score of class 1, multiclass one-vs-rest
 * with the unweighted mean over classes (`multi_class='ovr', average='macro'`). The area is counted
 * as the Mann–Whitney statistic with a tie between a positive and a negative worth one half, which is
 * exactly the trapezoid under sklearn's ROC curve (a tied threshold is one diagonal step), and in
 * integers, so it is the correctly rounded area however many ties there are.
 */
import type { ProbabilityArray } from './check-inputs';

export type AucResult = { value: number; reason?: undefined } | { value: null; reason: string };

/** The AUC of the scores of class `positive` (column `positive` of proba) against all other rows. */
export function oneVsRestAuc(yTrue: Int32Array, proba: ProbabilityArray, k: number, positive: number): number | null {
  let positives = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === positive) positives++;
  const negatives = yTrue.length - positives;
  if (positives === 0 || negatives === 0) return null;
  const pos = new Float64Array(positives);
  const neg = new Float64Array(negatives);
  for (let i = 0, p = 0, q = 0; i < yTrue.length; i++) {
    const score = proba[i * k + positive];
    if (yTrue[i] === positive) pos[p++] = score;
    else neg[q++] = score;
  }
  pos.sort();
  neg.sort();
  // Twice the count of (positive, negative) pairs ranked correctly, ties counting one: stays an integer.
  let twiceCorrect = 0;
  let below = 0;
  let atOrBelow = 0;
  for (let i = 0; i < positives; i++) {
    const s = pos[i];
    while (below < negatives && neg[below] < s) below++;
    if (atOrBelow < below) atOrBelow = below;
    while (atOrBelow < negatives && neg[atOrBelow] <= s) atOrBelow++;
    twiceCorrect += below + atOrBelow;
  }
  return twiceCorrect / (2 * positives * negatives);
}

/**
 * ROC AUC over k classes, or null with sklearn's reason when it is undefined: fewer than two
 * labels, one class only in y_true (binary), or a class absent from y_true (multiclass, where sklearn
 * refuses too). Unlike sklearn we do not refuse multiclass rows that fail to sum to 1.
 */
export function rocAuc(yTrue: Int32Array, proba: ProbabilityArray, labels: readonly string[]): AucResult {
  const k = labels.length;
  if (k < 2) return { value: null, reason: 'ROC AUC needs at least two classes' };
  if (k === 2) {
    const value = oneVsRestAuc(yTrue, proba, 2, 1);
    return value === null
      ? { value: null, reason: 'only one class is present in y_true, so ROC AUC is undefined' }
      : { value };
  }
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < yTrue.length; i++) counts[yTrue[i]]++;
  const absent = labels.filter((_, c) => counts[c] === 0).map((l) => `"${l}"`);
  if (absent.length === k - 1) {
    const only = labels[counts.findIndex((count) => count > 0)];
    return {
      value: null,
      reason: `only one class ("${only}") is present in y_true (no rows of ${absent.join(', ')}), so ROC AUC is undefined`,
    };
  }
  if (absent.length === 1)
    return {
      value: null,
      reason: `class ${absent[0]} has no rows in y_true, so its one-vs-rest ROC AUC is undefined`,
    };
  if (absent.length > 1)
    return {
      value: null,
      reason: `classes ${absent.slice(0, -1).join(', ')} and ${absent.at(-1)} have no rows in y_true, so their one-vs-rest ROC AUC is undefined`,
    };
  let sum = 0;
  // With every one of k >= 3 classes present, each class has positives and negatives: never null.
  for (let c = 0; c < k; c++) sum += oneVsRestAuc(yTrue, proba, k, c) ?? 0;
  return { value: sum / k };
}
