/** Flywheel's core: everything that is the same in the browser, a worker, Node and the edge. */
export * from './errors';
export * from './data/table';
