/** Data: the columnar Table, its sources (samples, files, URLs, rows), parsing and deterministic splits. */
export * from './table';
export * from './column-builder';
export * from './table-from-cells';
export * from './parse-delimited';
export * from './parse-json';
export * from './sources';
export * from './split';
export * from './csv-formula';
