// bench/infer's lean engines each run in a worker thread of their own (bench/infer-lean.ts says why);
// a worker does not inherit tsx's registration, so it registers tsx itself, then runs the engine.
const { register } = await import('tsx/esm/api');
register();
await import('./infer-lean-engine.ts');
