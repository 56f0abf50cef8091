/** Flywheel's core: everything that is the same in the browser, a worker, Node and the edge. */
export * from './errors';
export * from './random';
export * from './data';
export * from './features';
export * from './metrics';
export * from './gates';
