/** The edge's HTTP contract and its typed client. */
export * from './contract';
export * from './client';
