/**
 * Every classification metric of one evaluation, from the true class indices and the model's
 * probabilities, with scikit-learn's definitions (see each part's file for the details that differ
 * between sklearn versions). The predicted class is the argmax of each row.
 */
import { checkClassificationInputs, type ProbabilityArray } from './check-inputs';
import { argmaxPredictions, confusionMatrix } from './confusion-matrix';
import { logLoss } from './log-loss';
import { macroAverage, perClassScores, weightedAverage } from './precision-recall';
import { rocAuc } from './roc-auc';
import type { ClassificationMetrics } from './result';

/**
 * Metrics of `n` rows over the `k` classes named by `labels`: `yTrue[i]` is row i's class index and
 * `proba[i * k + j]` its probability of class j. Throws `bad_input` on mismatched shapes, class indices
 * out of range or non-finite probabilities; metrics that are undefined for this data (ROC AUC with a
 * class absent from yTrue, anything needing two classes when k = 1) are null with a reason.
 */
export function classificationMetrics(
  yTrue: Int32Array,
  proba: ProbabilityArray,
  labels: readonly string[],
): ClassificationMetrics {
  checkClassificationInputs(yTrue, proba, labels);
  const k = labels.length;
  const n = yTrue.length;
  const matrix = confusionMatrix(yTrue, argmaxPredictions(proba, k), k);
  const scores = perClassScores(matrix);
  const macro = macroAverage(scores);
  const weighted = weightedAverage(scores);

  let correct = 0;
  for (let c = 0; c < k; c++) correct += matrix[c][c];
  // sklearn's balanced accuracy averages recall over the classes present in y_true only.
  let recallSum = 0;
  let present = 0;
  for (let c = 0; c < k; c++) {
    if (scores.support[c] > 0) {
      recallSum += scores.recall[c];
      present++;
    }
  }

  const auc = rocAuc(yTrue, proba, labels);
  const loss = logLoss(yTrue, proba, k);
  const reasons: ClassificationMetrics['reasons'] = {};
  if (auc.reason !== undefined) reasons.roc_auc = auc.reason;
  if (loss.reason !== undefined) reasons.log_loss = loss.reason;

  return {
    task: 'classification',
    count: n,
    values: {
      accuracy: correct / n,
      balanced_accuracy: recallSum / present,
      precision_macro: macro.precision,
      recall_macro: macro.recall,
      f1_macro: macro.f1,
      precision_weighted: weighted.precision,
      recall_weighted: weighted.recall,
      f1_weighted: weighted.f1,
      roc_auc: auc.value,
      log_loss: loss.value,
    },
    reasons,
    labels: [...labels],
    confusionMatrix: matrix,
    perClass: labels.map((label, c) => ({
      label,
      precision: scores.precision[c],
      recall: scores.recall[c],
      f1: scores.f1[c],
      support: scores.support[c],
    })),
  };
}
