/** Notebook cells: compiling them for the kernel, and what they define and read (for staleness). */
export * from './cell-compiler';
