/**
 * Regression metrics with scikit-learn 1.2's definitions, computed in float64 (Float32Array input is
 * widened first, which equals sklearn on float64 arrays): MAE, RMSE, R², MAPE (a fraction, not a
 * percentage), max error and explained variance.
 */
import { checkRegressionInputs, type NumberArray } from './check-inputs';
import type { RegressionMetrics } from './result';

/** sklearn's MAPE floor for |y| in the denominator: float64 machine epsilon (`np.finfo(np.float64).eps`). */
export const MAPE_EPS = 2 ** -52;

/**
 * sklearn's `force_finite` rule for R² and explained variance: when y_true is constant the ratio is
 * 0/0 or x/0, so the score is 1 for a perfect prediction and 0 otherwise.
 */
function oneMinusRatio(numerator: number, denominator: number): number {
  if (denominator === 0) return numerator === 0 ? 1 : 0;
  return numerator === 0 ? 1 : 1 - numerator / denominator;
}

/**
 * Metrics of predictions `yPred` against `yTrue` (same length, finite). R² is null for a single row,
 * where sklearn returns NaN with an UndefinedMetricWarning.
 */
export function regressionMetrics(yTrue: NumberArray, yPred: NumberArray): RegressionMetrics {
  checkRegressionInputs(yTrue, yPred);
  const n = yTrue.length;
  let absSum = 0;
  let sqSum = 0;
  let pctSum = 0;
  let maxAbs = 0;
  let ySum = 0;
  let residualSum = 0;
  for (let i = 0; i < n; i++) {
    const y = yTrue[i];
    const residual = y - yPred[i];
    const abs = Math.abs(residual);
    absSum += abs;
    sqSum += residual * residual;
    pctSum += abs / Math.max(Math.abs(y), MAPE_EPS);
    if (abs > maxAbs) maxAbs = abs;
    ySum += y;
    residualSum += residual;
  }
  const yMean = ySum / n;
  const residualMean = residualSum / n;
  let totalSq = 0;
  let residualVarSum = 0;
  for (let i = 0; i < n; i++) {
    const centred = yTrue[i] - yMean;
    totalSq += centred * centred;
    const r = yTrue[i] - yPred[i] - residualMean;
    residualVarSum += r * r;
  }

  const reasons: RegressionMetrics['reasons'] = {};
  if (n < 2) reasons.r2 = 'R² is not well-defined with fewer than two rows';
  return {
    task: 'regression',
    count: n,
    values: {
      mae: absSum / n,
      rmse: Math.sqrt(sqSum / n),
      r2: n < 2 ? null : oneMinusRatio(sqSum, totalSq),
      mape: pctSum / n,
      max_error: maxAbs,
      explained_variance: oneMinusRatio(residualVarSum / n, totalSq / n),
    },
    reasons,
  };
}
