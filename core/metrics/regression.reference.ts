/**
 * Reference values of regression.test.ts: scikit-learn 1.2.1 on float64 arrays, as
 * tests/reference/metrics.py computes them: mean_absolute_error, mean_squared_error(squared=False),
 * r2_score, mean_absolute_percentage_error, max_error, explained_variance_score, each called as
 * f(y_true, y_pred); null where sklearn gives NaN.
 */
import type { RegressionMetrics } from './result';

export interface RegressionCase {
  name: string;
  yTrue: number[];
  yPred: number[];
  values: RegressionMetrics['values'];
}

export const REGRESSION_CASES: RegressionCase[] = [
  {
    name: 'a zero in y_true (MAPE divides by float64 eps)',
    yTrue: [3, -0.5, 2, 7, 4.25, 0],
    yPred: [2.5, 0, 2, 8, 4, 0.1],
    values: {
      mae: 0.39166666666666666,
      rmse: 0.5119407517802557,
      r2: 0.9596471531676023,
      mape: 75059993789508.5,
      max_error: 1,
      explained_variance: 0.9627372360331462,
    },
  },
  {
    name: 'constant y_true, imperfect prediction (R² and explained variance forced to 0)',
    yTrue: [2, 2, 2],
    yPred: [2, 2.5, 1],
    values: { mae: 0.5, rmse: 0.6454972243679028, r2: 0, mape: 0.25, max_error: 1, explained_variance: 0 },
  },
  {
    name: 'constant y_true, perfect prediction (forced to 1)',
    yTrue: [2, 2, 2],
    yPred: [2, 2, 2],
    values: { mae: 0, rmse: 0, r2: 1, mape: 0, max_error: 0, explained_variance: 1 },
  },
  {
    name: 'one row (sklearn: R² is NaN with a warning)',
    yTrue: [5],
    yPred: [4],
    values: { mae: 1, rmse: 1, r2: null, mape: 0.2, max_error: 1, explained_variance: 1 },
  },
];

/** Float32 input widened: sklearn on np.array([...], dtype=np.float32).astype(np.float64). */
export const REGRESSION_FLOAT32_CASE: Omit<RegressionCase, 'name'> = {
  yTrue: [1.1, 2.2, 3.3, 4.4],
  yPred: [1, 2.5, 3, 4.9],
  values: {
    mae: 0.29999998211860657,
    rmse: 0.33166245926691706,
    r2: 0.927272737518814,
    mape: 0.1079545403232916,
    max_error: 0.5,
    explained_variance: 0.9338843068352854,
  },
};
