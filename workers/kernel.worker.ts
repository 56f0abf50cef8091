/**
 * The notebook kernel: runs JavaScript cells with top-level await, with `tf`, Flywheel's core API
 * (`flywheel`, plus `load`, `profile`, `train` shortcuts) and `display()` in scope. Top-level names
 * persist between cells; outputs are MIME bundles. Interrupting means the page terminates this worker.
 */
import './errors';
import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as flywheel from '../core';
import { loadSource } from '../core/data/sources';
import { profileTable } from '../core/features';
import { runPipeline } from '../core/pipeline';
import { cellPosition, CellSyntaxError, compileCell } from '../core/notebook/cell-compiler';
import { appendOutput, consoleText, streamBundle, toMime } from './mime';
import type { CellResult, KernelApi, MimeBundle } from './protocol';
import { browserSourceIO } from './source-io';

type AsyncFn = (...args: unknown[]) => Promise<unknown>;
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (body: string) => AsyncFn;

let emit: ((output: MimeBundle) => void) | null = null;
const builtins = new Set(Object.keys(globalThis));

Object.assign(globalThis, {
  tf,
  flywheel,
  display: (value: unknown) => emit?.(toMime(value)),
  load: async (source: string) => (await loadSource(source, browserSourceIO())).table,
  profile: (table: flywheel.Table) => profileTable(table),
  train: (spec: unknown) =>
    runPipeline(spec, { io: browserSourceIO(), backend: tf.getBackend(), codeVersion: __FLYWHEEL_CODE_VERSION__ }),
});
const kernelNames = new Set(Object.keys(globalThis));

/** Console methods a cell's output shows, and the stream each writes to (as Node and Jupyter split them). */
const CONSOLE_STREAMS = { log: 'stdout', info: 'stdout', debug: 'stdout', warn: 'stderr', error: 'stderr' } as const;
const devtools = { ...console };
for (const [method, stream] of Object.entries(CONSOLE_STREAMS)) {
  console[method as keyof typeof CONSOLE_STREAMS] = (...args: unknown[]) => {
    // Between cells (a timer firing late) there is no cell to show it under: the devtools console gets it.
    if (emit) emit(streamBundle(stream, consoleText(args)));
    else devtools[method as keyof typeof CONSOLE_STREAMS](...args);
  };
}

const api: KernelApi = {
  async run(code, onOutput) {
    let outputs: MimeBundle[] = [];
    emit = (o) => {
      outputs = appendOutput(outputs, o);
      onOutput(o);
    };
    const started = performance.now();
    try {
      const fn = new AsyncFunction(compileCell(code).body);
      const value = await fn();
      if (value !== undefined)
        emit({ ...toMime(value), 'application/vnd.flywheel.output+json': { type: 'execute_result' } });
      return { status: 'ok', outputs, durationMs: performance.now() - started };
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      const where = err instanceof CellSyntaxError ? { line: err.line, column: err.column } : cellPosition(err.stack);
      const output: MimeBundle = {
        'application/vnd.flywheel.error+json': { name: err.name, message: err.message, ...(where ?? {}) },
        'text/plain': `${err.name}: ${err.message}${where ? ` (line ${where.line})` : ''}`,
      };
      emit(output);
      return { status: 'error', outputs, durationMs: performance.now() - started } satisfies CellResult;
    } finally {
      emit = null;
    }
  },
  async names() {
    return Object.keys(globalThis).filter((k) => !builtins.has(k) && !kernelNames.has(k));
  },
};

Comlink.expose(api);
