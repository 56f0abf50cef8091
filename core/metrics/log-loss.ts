/**
 * Log loss (cross-entropy) as scikit-learn 1.2's `log_loss(y_true, proba, labels=range(k))` on
 * float64 probabilities: each probability is clipped to [eps, 1 - eps], each row is renormalised to
 * sum to 1, and the loss is the mean of -ln p(true class). A probability of exactly 0 for the true
 * class therefore costs -ln(eps) ≈ 36.04 instead of Infinity.
 */
import type { ProbabilityArray } from './check-inputs';

/**
 * sklearn 1.2 clips with `eps='auto'`, the machine epsilon of the probabilities' dtype (it was 1e-15
 * before 1.2). We compute in float64, so this is float64's epsilon; Float32Array input is widened
 * first, which equals sklearn on `proba.astype(np.float64)`.
 */
export const LOG_LOSS_EPS = 2 ** -52;

export type LogLossResult = { value: number; reason?: undefined } | { value: null; reason: string };

export function logLoss(yTrue: Int32Array, proba: ProbabilityArray, k: number): LogLossResult {
  if (k < 2) return { value: null, reason: 'log loss needs at least two classes (sklearn refuses one label)' };
  const n = yTrue.length;
  const lo = LOG_LOSS_EPS;
  const hi = 1 - LOG_LOSS_EPS;
  let total = 0;
  for (let i = 0; i < n; i++) {
    let rowSum = 0;
    for (let j = 0; j < k; j++) rowSum += Math.min(Math.max(proba[i * k + j], lo), hi);
    const p = Math.min(Math.max(proba[i * k + yTrue[i]], lo), hi);
    total -= Math.log(p / rowSum);
  }
  return { value: total / n };
}
