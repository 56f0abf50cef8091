/** The notebook's document logic, free of the DOM: templates, staleness, the spec text, `.ipynb` conversion. */
export * from './templates';
export * from './staleness';
export * from './spec-text';
export * from './ipynb';
