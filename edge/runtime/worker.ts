/**
 * The Cloudflare Workers entry point: D1 for the SQL port, R2 for bundles, the lean runtime only (tfjs
 * is not in the bundle) on its WebAssembly kernel, which the Worker imports precompiled (workerd may
 * not compile WebAssembly from bytes), and the Cron Trigger as the automation hook. Thin: once per
 * isolate, on its first request (a Worker may do no I/O while it loads), it wires the ports, migrates
 * and installs the ADMIN_KEY secret; after each request it hands the telemetry write to
 * `ctx.waitUntil`. Built by edge/build-worker.ts, configured by edge/wrangler.toml.
 */
import { errorMessage } from '../../core/errors';
import { provideWasmDenseModule } from '../../core/infer/wasm-dense-kernel';
import { createEdge, type Edge } from '../app';
import { parseCorsOrigins } from '../cors';
import { syncSecretAdminKey } from '../secret-admin-key';
import { d1Database, type D1Database } from '../store/d1';
import { migrateD1 } from '../store/d1-migrations';
import { r2BlobStore, type R2Bucket } from '../store/r2-blob';
import { flushSchedule, type FlushSchedule } from './flush-schedule';
import { workerMigrations } from './worker-migrations';
// Written by edge/build-worker.ts beside the bundle, from the same code Node compiles the kernel from.
import denseKernel from './dense-kernel.wasm';

provideWasmDenseModule(denseKernel);

/** The Worker's bindings (edge/wrangler.toml). */
export interface WorkerEnv {
  DB: D1Database;
  BUNDLES: R2Bucket;
  /** The admin key, set with `wrangler secret put ADMIN_KEY`; without it nobody can publish or administer. */
  ADMIN_KEY?: string;
  /** Origins whose pages may call the API, comma-separated (a wrangler var); unset: any (edge/cors.ts). */
  CORS_ORIGINS?: string;
}

/** The part of the Workers `ExecutionContext` used here. */
export interface WorkerContext {
  waitUntil(promise: Promise<unknown>): void;
}

/** Package version, defined by edge/build-worker.ts. */
declare const FLYWHEEL_VERSION: string;

interface Isolate {
  edge: Edge;
  flushes: FlushSchedule;
}

let booting: Promise<Isolate> | null = null;

/** The isolate's edge, started once; a failed start is retried by the next request. */
function isolate(env: WorkerEnv): Promise<Isolate> {
  booting ??= boot(env).catch((e: unknown) => {
    booting = null;
    throw e;
  });
  return booting;
}

async function boot(env: WorkerEnv): Promise<Isolate> {
  const db = d1Database(env.DB);
  await migrateD1(db, workerMigrations);
  const edge = createEdge({
    version: FLYWHEEL_VERSION,
    db,
    blobs: r2BlobStore(env.BUNDLES),
    now: Date.now,
    allowTfjsFallback: false,
    corsOrigins: parseCorsOrigins(env.CORS_ORIGINS, 'CORS_ORIGINS'),
    // No dynamic batching (edge/batching.ts): Cloudflare spreads requests over isolates, so one is
    // rarely handed several in a turn, and workerd has no setImmediate (a timer would delay the lone
    // request). `batching` stays unset, and every version serves one request per kernel call.
  });
  if (!env.ADMIN_KEY)
    console.warn(
      'flywheel: no ADMIN_KEY secret, so publishing and admin routes are closed: run `wrangler secret put ADMIN_KEY`',
    );
  // A bad secret must not take the public prediction routes down with it: say so and serve.
  await syncSecretAdminKey(db, env.ADMIN_KEY, Date.now).catch((e: unknown) =>
    console.error(`flywheel: the ADMIN_KEY secret was not installed: ${errorMessage(e)}`),
  );
  const flushes = flushSchedule({
    flush: () => edge.services.flush(),
    now: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    onError: (e) => console.error(`flywheel: telemetry flush failed, will retry: ${errorMessage(e)}`),
  });
  return { edge, flushes };
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: WorkerContext): Promise<Response> {
    let it: Isolate;
    try {
      it = await isolate(env);
    } catch (e) {
      console.error('flywheel: the edge could not start:', e);
      return Response.json(
        {
          error: {
            code: 'internal',
            message: 'the edge could not start: its storage is not ready (the Worker logs say why)',
            details: [],
          },
        },
        { status: 500 },
      );
    }
    const response = await it.edge.app.fetch(request);
    if (it.edge.services.unflushed > 0) ctx.waitUntil(it.flushes.request());
    return response;
  },

  /** The Cron Trigger: the automation tick's hook; for now it writes this isolate's buffered telemetry. */
  async scheduled(_controller: unknown, env: WorkerEnv, ctx: WorkerContext): Promise<void> {
    const { edge } = await isolate(env);
    // The Cron Trigger is the automation tick: write what this isolate buffered, then decide.
    ctx.waitUntil(edge.services.flush().then(() => edge.services.automation.tick()));
  },
};
