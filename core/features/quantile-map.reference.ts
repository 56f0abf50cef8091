/**
 * Reference values of quantile-map.test.ts, as tests/reference/quantile.py prints them: SciPy 1.10
 * `norm.ppf` and `skew`, and scikit-learn 1.2.1 QuantileTransformer(n_quantiles=10,
 * output_distribution="normal") fitted on `column`.
 */
export const NORMAL_QUANTILE_CASES: { p: number; z: number }[] = [
  { p: 1e-7, z: -5.1993375821928165 },
  { p: 1e-5, z: -4.264890793922825 },
  { p: 0.001, z: -3.090232306167813 },
  { p: 0.02, z: -2.053748910631823 },
  { p: 0.1, z: -1.2815515655446004 },
  { p: 0.3, z: -0.5244005127080409 },
  { p: 0.425, z: -0.18911842627279252 },
  { p: 0.5, z: 0 },
  { p: 0.575, z: 0.18911842627279238 },
  { p: 0.6, z: 0.2533471031357997 },
  { p: 0.9, z: 1.2815515655446004 },
  { p: 0.975, z: 1.959963984540054 },
  { p: 0.999, z: 3.090232306167813 },
  { p: 0.99999, z: 4.264890793923841 },
  { p: 0.9999999, z: 5.199337582290661 },
];

/** A skewed column with a tie at 2 inside its range; values inside, on and outside it. */
export const QUANTILE_TRANSFORM_CASE: { column: number[]; values: number[]; normal: number[] } = {
  column: [0.5, 0.75, 1, 2, 2, 2, 3.5, 6, 11, 40],
  values: [-3, 0.5, 0.6, 1, 1.5, 2, 2.2, 5, 10, 39, 40, 100],
  normal: [
    -5.199337582605575, -5.199337582605575, -1.7012881668522597, -0.7647096737863871, -0.5894557978497783, 0,
    0.17731717702871566, 0.622925723210088, 1.110771616636785, 2.666575675758226, 5.19933758270342, 5.19933758270342,
  ],
};

export const SKEWNESS_CASES: { values: number[]; skewness: number }[] = [
  { values: [0.5, 0.75, 1, 2, 2, 2, 3.5, 6, 11, 40], skewness: 2.355822872292092 },
  { values: [1, 2, 3, 4, 5], skewness: 0 },
  { values: [5, 5, 5, 1], skewness: -1.1547005383792515 },
];
