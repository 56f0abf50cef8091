/**
 * Predicted classes and the confusion matrix they give. The prediction is the argmax of each row of
 * probabilities, the first class winning a tie, exactly as NumPy's `argmax` and so as a scikit-learn
 * classifier's `predict`.
 */
import type { ProbabilityArray } from './check-inputs';

/** The class index with the highest probability in each row of a row-major [n, k] matrix. */
export function argmaxPredictions(proba: ProbabilityArray, k: number): Int32Array {
  const n = proba.length / k;
  const predicted = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestValue = proba[i * k];
    for (let j = 1; j < k; j++) {
      const v = proba[i * k + j];
      if (v > bestValue) {
        best = j;
        bestValue = v;
      }
    }
    predicted[i] = best;
  }
  return predicted;
}

/**
 * The k×k matrix whose row t, column p counts rows of true class t predicted as p, over all k labels
 * whether or not they occur (sklearn `confusion_matrix(y_true, y_pred, labels=range(k))`).
 */
export function confusionMatrix(yTrue: Int32Array, yPred: Int32Array, k: number): number[][] {
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < yTrue.length; i++) matrix[yTrue[i]][yPred[i]]++;
  return matrix;
}
