// The trial pool's thread program run from the TypeScript sources (cli/trial-pool.ts starts it when
// the CLI is not the built one): a worker thread does not inherit the tsx registration of the thread
// that started it, so it registers tsx itself, as bin.js does, then runs cli/trial-thread.ts.
const { register } = await import('tsx/esm/api');
register();
await import('./trial-thread.ts');
