/** Model specs, seeded tfjs model building, the output head and the seeded, cancellable training loop. */
export * from './spec';
export * from './head';
export { buildModel, SOFTMAX_LAYER_NAME } from './build-model';
export { classWeightVector } from './class-weights';
export { trainModel } from './train';
export type { EpochMetrics, BatchProgress, TrainOptions, TrainResult } from './train-types';
export { measureTrainingSpeed, type TrainingProbe } from './measure';
