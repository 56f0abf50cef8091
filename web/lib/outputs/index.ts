/** Drawing notebook outputs: MIME bundles (text, markdown, tables, charts, errors, images, pipeline runs). */
export * from './run-output';
export * from './markdown';
export * from './table-view';
