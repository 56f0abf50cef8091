/**
 * Precision, recall and F1 per class and averaged, from a confusion matrix, as scikit-learn 1.2's
 * `precision_recall_fscore_support(labels=range(k), zero_division=0)`: a ratio whose denominator is
 * zero counts as 0, F1 is computed from those precision and recall values (0 when both are 0), and
 * every one of the k labels takes part in the averages, including labels that never occur.
 */
export interface PerClassScores {
  precision: number[];
  recall: number[];
  f1: number[];
  support: number[];
}

export interface AveragedScores {
  precision: number;
  recall: number;
  f1: number;
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

export function perClassScores(matrix: readonly (readonly number[])[]): PerClassScores {
  const k = matrix.length;
  const out: PerClassScores = { precision: [], recall: [], f1: [], support: [] };
  for (let c = 0; c < k; c++) {
    const tp = matrix[c][c];
    let trueCount = 0;
    let predictedCount = 0;
    for (let j = 0; j < k; j++) {
      trueCount += matrix[c][j];
      predictedCount += matrix[j][c];
    }
    const p = ratio(tp, predictedCount);
    const r = ratio(tp, trueCount);
    out.precision.push(p);
    out.recall.push(r);
    out.f1.push(p + r === 0 ? 0 : (2 * p * r) / (p + r));
    out.support.push(trueCount);
  }
  return out;
}

/** Unweighted mean over all k classes (`average='macro'`). */
export function macroAverage(scores: PerClassScores): AveragedScores {
  const k = scores.support.length;
  const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / k;
  return { precision: mean(scores.precision), recall: mean(scores.recall), f1: mean(scores.f1) };
}

/** Mean weighted by each class's support (`average='weighted'`); 0 when no class has support. */
export function weightedAverage(scores: PerClassScores): AveragedScores {
  const total = scores.support.reduce((s, x) => s + x, 0);
  const mean = (xs: number[]): number =>
    ratio(
      xs.reduce((s, x, c) => s + x * scores.support[c], 0),
      total,
    );
  return { precision: mean(scores.precision), recall: mean(scores.recall), f1: mean(scores.f1) };
}
