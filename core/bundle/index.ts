/** Model bundles: the verified zip (manifest, tfjs Layers model, weights, holdout) that is the unit of publishing. */
export * from './manifest';
export * from './bundle';
export * from './unzip';
