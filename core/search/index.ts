export * from './types';
export * from './run-trial';
export * from './in-process-pool';
