/**
 * Reference values of classification.test.ts from scikit-learn 1.2.1, as tests/reference/metrics.py
 * computes them, with pred = proba.argmax(1), L = range(k), proba a float32 array:
 *   accuracy_score(y, pred), balanced_accuracy_score(y, pred),
 *   precision_score / recall_score / f1_score(y, pred, labels=L, average=..., zero_division=0),
 *   roc_auc_score(y, proba[:, 1]) for k = 2, else roc_auc_score(y, proba, multi_class='ovr', average='macro'),
 *   log_loss(y, proba.astype(np.float64), labels=L), confusion_matrix(y, pred, labels=L),
 *   precision_recall_fscore_support(y, pred, labels=L, average=None, zero_division=0).
 * null where sklearn refuses (raises).
 */
import type { ClassificationMetrics } from './result';

export interface ClassificationCase {
  name: string;
  yTrue: number[];
  proba: number[][];
  values: ClassificationMetrics['values'];
  confusion: number[][];
  perClass: [precision: number, recall: number, f1: number, support: number][];
}

/** 200 rows, 9 distinct scores (tests/reference/metrics.py has its Python twin). */
function formulaBinary(): Pick<ClassificationCase, 'yTrue' | 'proba'> {
  const yTrue = Array.from({ length: 200 }, (_, i) => ((i * 7) % 5 < 2 ? 1 : 0));
  const proba = yTrue.map((y, i) => {
    const s = ((i * 13 + y * 3) % 9) / 8;
    return [1 - s, s];
  });
  return { yTrue, proba };
}

/** 90 rows over four classes (tests/reference/metrics.py has its Python twin). */
function formulaFourClasses(): Pick<ClassificationCase, 'yTrue' | 'proba'> {
  const yTrue = Array.from({ length: 90 }, (_, i) => (i * 5 + Math.floor(i / 7)) % 4);
  const proba = yTrue.map((y, i) => {
    const raw = [0, 1, 2, 3].map((j) => ((i * (j + 3) * 7 + j * 5 + (j === y ? 4 : 0)) % 10) + 1);
    const sum = raw.reduce((a, b) => a + b, 0);
    return raw.map((r) => r / sum);
  });
  return { yTrue, proba };
}

export const CLASSIFICATION_CASES: ClassificationCase[] = [
  {
    name: 'binary with tied scores across classes',
    yTrue: [0, 0, 1, 1, 0, 1, 0, 1, 1, 0],
    proba: [
      [0.9, 0.1],
      [0.6, 0.4],
      [0.65, 0.35],
      [0.2, 0.8],
      [0.6, 0.4],
      [0.6, 0.4],
      [0.8, 0.2],
      [0.1, 0.9],
      [0.4, 0.6],
      [0.3, 0.7],
    ],
    values: {
      accuracy: 0.7,
      balanced_accuracy: 0.7,
      precision_macro: 0.7083333333333333,
      recall_macro: 0.7,
      f1_macro: 0.6969696969696968,
      precision_weighted: 0.7083333333333333,
      recall_weighted: 0.7,
      f1_weighted: 0.6969696969696969,
      roc_auc: 0.76,
      log_loss: 0.5359570606809222,
    },
    confusion: [
      [4, 1],
      [2, 3],
    ],
    perClass: [
      [0.6666666666666666, 0.8, 0.7272727272727272, 5],
      [0.75, 0.6, 0.6666666666666665, 5],
    ],
  },
  {
    name: 'three classes, class 2 never predicted, an argmax tie',
    yTrue: [0, 1, 2, 2, 0, 1, 2, 0, 1, 1, 2, 0],
    proba: [
      [0.7, 0.2, 0.1],
      [0.1, 0.6, 0.3],
      [0.3, 0.4, 0.3],
      [0.5, 0.2, 0.3],
      [0.4, 0.4, 0.2],
      [0.2, 0.5, 0.3],
      [0.1, 0.5, 0.4],
      [0.6, 0.3, 0.1],
      [0.3, 0.3, 0.4],
      [0.2, 0.7, 0.1],
      [0.45, 0.1, 0.45],
      [0.5, 0.25, 0.25],
    ],
    values: {
      accuracy: 0.5833333333333334,
      balanced_accuracy: 0.5833333333333334,
      precision_macro: 0.4222222222222222,
      recall_macro: 0.5833333333333334,
      f1_macro: 0.4888888888888889,
      precision_weighted: 0.4222222222222222,
      recall_weighted: 0.5833333333333334,
      f1_weighted: 0.4888888888888889,
      roc_auc: 0.8854166666666666,
      log_loss: 0.7803585875459266,
    },
    confusion: [
      [4, 0, 0],
      [0, 3, 1],
      [2, 2, 0],
    ],
    perClass: [
      [0.6666666666666666, 1, 0.8, 4],
      [0.6, 0.75, 0.6666666666666665, 4],
      [0, 0, 0, 4],
    ],
  },
  {
    name: 'four classes, class 3 absent from y_true but predicted, probabilities of exactly 0 and 1',
    yTrue: [0, 1, 2, 0, 1, 2, 0, 1],
    proba: [
      [1, 0, 0, 0],
      [0.1, 0.2, 0.3, 0.4],
      [0.2, 0.2, 0.5, 0.1],
      [0.25, 0.25, 0.25, 0.25],
      [0, 1, 0, 0],
      [0.3, 0.3, 0.3, 0.1],
      [0.1, 0.6, 0.2, 0.1],
      [0, 0.5, 0, 0.5],
    ],
    values: {
      accuracy: 0.625,
      balanced_accuracy: 0.611111111111111,
      precision_macro: 0.5833333333333333,
      recall_macro: 0.4583333333333333,
      f1_macro: 0.5,
      precision_weighted: 0.75,
      recall_weighted: 0.625,
      f1_weighted: 0.6666666666666666,
      roc_auc: null,
      log_loss: 0.9860730699140825,
    },
    confusion: [
      [2, 1, 0, 0],
      [0, 2, 0, 1],
      [1, 0, 1, 0],
      [0, 0, 0, 0],
    ],
    perClass: [
      [0.6666666666666666, 0.6666666666666666, 0.6666666666666666, 3],
      [0.6666666666666666, 0.6666666666666666, 0.6666666666666666, 3],
      [1, 0.5, 0.6666666666666666, 2],
      [0, 0, 0, 0],
    ],
  },
  {
    name: 'binary with one class only in y_true',
    yTrue: [1, 1, 1],
    proba: [
      [0.2, 0.8],
      [0.6, 0.4],
      [0.5, 0.5],
    ],
    values: {
      accuracy: 0.3333333333333333,
      balanced_accuracy: 0.3333333333333333,
      precision_macro: 0.5,
      recall_macro: 0.16666666666666666,
      f1_macro: 0.25,
      precision_weighted: 1,
      recall_weighted: 0.3333333333333333,
      f1_weighted: 0.5,
      roc_auc: null,
      log_loss: 0.610860492883157,
    },
    confusion: [
      [0, 0],
      [2, 1],
    ],
    perClass: [
      [0, 0, 0, 0],
      [1, 0.3333333333333333, 0.5, 3],
    ],
  },
  {
    name: 'binary, 200 rows, 9 distinct scores (heavy ties), scores of exactly 0 and 1',
    ...formulaBinary(),
    values: {
      accuracy: 0.515,
      balanced_accuracy: 0.5041666666666667,
      precision_macro: 0.5040489928130378,
      recall_macro: 0.5041666666666667,
      f1_macro: 0.50306104152258,
      precision_weighted: 0.5239599149711509,
      recall_weighted: 0.515,
      f1_weighted: 0.51846614923538,
      roc_auc: 0.5004166666666667,
      log_loss: 4.807062708547332,
    },
    confusion: [
      [67, 53],
      [44, 36],
    ],
    perClass: [
      [0.6036036036036037, 0.5583333333333333, 0.5800865800865801, 120],
      [0.4044943820224719, 0.45, 0.4260355029585799, 80],
    ],
  },
  {
    name: 'four classes, 90 rows, float32 probabilities with ties',
    ...formulaFourClasses(),
    values: {
      accuracy: 0.3,
      balanced_accuracy: 0.30038461538461536,
      precision_macro: 0.357439129497953,
      recall_macro: 0.30038461538461536,
      f1_macro: 0.29501379930040755,
      precision_weighted: 0.38341114223467165,
      recall_weighted: 0.3,
      f1_weighted: 0.30735363649005704,
      roc_auc: 0.6046612372002996,
      log_loss: 1.363169360103517,
    },
    confusion: [
      [6, 10, 0, 10],
      [8, 11, 2, 5],
      [3, 9, 6, 7],
      [4, 4, 1, 4],
    ],
    perClass: [
      [0.2857142857142857, 0.23076923076923078, 0.25531914893617025, 26],
      [0.3235294117647059, 0.4230769230769231, 0.3666666666666667, 26],
      [0.6666666666666666, 0.24, 0.3529411764705882, 25],
      [0.15384615384615385, 0.3076923076923077, 0.20512820512820515, 13],
    ],
  },
];
