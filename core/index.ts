/** Flywheel's core: everything that is the same in the browser, a worker, Node and the edge. */
export * from './errors';
export * from './random';
export * from './hash';
export * from './data';
export * from './features';
export * from './metrics';
export * from './gates';
export * from './bundle';
export * from './pipeline';
export * as drift from './drift';
export * as infer from './infer';
export * as model from './model';
