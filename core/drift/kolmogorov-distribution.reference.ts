/**
 * Reference values of kolmogorov-distribution.test.ts: scipy.stats.kstwo.sf(d, n) (tests/reference/drift.py).
 * The cases walk SciPy's `_kolmogn` regimes: Durbin matrix, Pomeranz, 2·smirnov (n ≤ 140); Durbin,
 * Pelz–Good, 2·smirnov (n > 140); the ends.
 */
export const KOLMOGOROV_SF_CASES: [n: number, d: number, sf: number][] = [
  [10, 0.07, 0.9999999619492741], // Ruben–Gambino lower end (n·d ≤ 1)
  [10, 0.3, 0.27053557479999946], // Durbin, small n
  [100, 0.06, 0.8428847956274123], // Durbin, small n
  [100, 0.15, 0.019839242125643017], // Pomeranz
  [100, 0.3, 1.7719869892662917e-8], // 2·smirnov, small n
  [100, 0.6, 5.912822156396238e-35], // d ≥ 0.5: 2·smirnov
  [1000, 0.02, 0.8108971656895577], // Durbin, large n
  [1000, 0.05, 0.013012074781090332], // 2·smirnov, large n
  [5000, 0.01, 0.6954557253913853], // Pelz–Good
  [5000, 0.03, 0.00024159234422666817], // 2·smirnov, large n
  [200000, 0.002, 0.39995085369038097], // Pelz–Good beyond Durbin's n
  [20, 0.99, 2.0000000000000353e-40], // Ruben–Gambino upper end
];
