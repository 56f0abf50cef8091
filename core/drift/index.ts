/** Data drift: Evidently's per-feature tests and distances (SciPy-exact) and the dataset verdict. */
export { featureDrift, DEFAULT_MIN_CURRENT_SIZE } from './feature-drift';
export {
  datasetDrift,
  driftReport,
  DEFAULT_DRIFT_SHARE,
  type DatasetDriftOptions,
  type DatasetDriftResult,
  type DriftReportOptions,
} from './dataset-drift';
export { defaultDriftMethod, SMALL_REFERENCE_SIZE, FEW_DISTINCT_VALUES } from './default-method';
export { DRIFT_METHODS, isDriftMethodName, type DriftMethod, type DriftMethodName, type DriftScore } from './methods';
export type {
  FeatureType,
  FeatureData,
  NumericFeatureData,
  CategoricalFeatureData,
  FeatureDriftInput,
  FeatureDriftOptions,
  FeatureDriftResult,
} from './types';
export { histogramOf, mergeHistograms, sturgesBinEdges, type Histogram } from './histogram';
export { mergeCategoryCounts } from './category-counts';
export { ks2Samp, KS_MAX_EXACT_SIZE, type KsMethod, type KsResult } from './kolmogorov-smirnov';
export { wassersteinDistance, normedWassersteinDistance, populationStd } from './wasserstein';
export { jensenShannonDistance } from './jensen-shannon';
export { chiSquareGoodnessOfFit, chiSquareDriftTest, type ChiSquareResult } from './chi-square-test';
export { proportionsZTest, type ZTestResult } from './z-test';
export { populationStabilityIndex } from './psi';
export { chiSquareSf } from './chi-square-distribution';
export { normalCdf, normalSf } from './normal-distribution';
export { regularizedGammaP, regularizedGammaQ } from './incomplete-gamma';
export { logGamma } from './log-gamma';
export { kolmogorovSf } from './kolmogorov-distribution';
export { smirnovSf } from './smirnov';
