/** Edge telemetry: per-minute rollups recorded in memory, flushed in batches, summarised, fed to drift and Prometheus. */
export * from './latency-histogram';
export * from './numeric-sketch';
export * from './category-sketch';
export * from './label-sketch';
export * from './rollup';
export type { BaselineColumn, TelemetryBaseline } from './baseline';
export * from './recorder';
export * from './flusher';
export * from './window';
export * from './summary';
export * from './feature-data';
export * from './exposition';
export * from './prometheus';
export * from './status-class';
export { mergeWeightedSamples, type WeightedSample } from './sample-merge';
export * from './drift-distributions';
