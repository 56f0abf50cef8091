/** Pipelines: the spec, the steps from data to bundle, their events and their cache. */
export * from './spec';
export * from './events';
export * from './prepare';
export * from './step-cache';
export * from './train-step';
export * from './run';
