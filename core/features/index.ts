/** Features: schema inference, profiles, validation and the fitted transforms shared by training and serving. */
export * from './schema';
export * from './infer-schema';
export * from './profile';
export * from './merge-profiles';
export * from './histogram';
export * from './reservoir';
export * from './validate';
export * from './transform-spec';
export * from './fit-transform';
export * from './encode';
