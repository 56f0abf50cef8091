/**
 * The Node entry point (the embedded default): SQLite and the disk blob store in the data folder,
 * the edge app plus the built web app on one port, with the cross-origin isolation headers that let
 * the browser use WASM threads. Thin: it only wires ports and timers.
 */
import '@tensorflow/tfjs-backend-cpu';
import { getRequestListener, type HttpBindings } from '@hono/node-server';
import { existsSync } from 'node:fs';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Hono } from 'hono';
import { FlywheelError } from '../../core/errors';
import { createEdge, edgeNotFound } from '../app';
import { BATCH_SETTING, parseBatchMode, type BatchMode } from '../batching';
import type { CorsOrigins } from '../cors';
import type { EdgeEnv } from '../http';
import { checkingHosts } from './node-allowed-hosts';
import { onClientError } from './node-client-error';
import { packageFile } from './node-package-files';
import { TurnEnd, withFastPredict } from './node-predict';
import { explainMissingWebApp, serveWebApp } from './node-web-app';
import type { EdgeServices } from '../services';
import { diskBlobStore, migrate, openDataDir, openSqlite, readMigrations, writeSecretFile } from '../store';

const migrationsDir = packageFile('edge/migrations');
/** Telemetry and the prediction log are written this often: a crash loses at most this much. */
export const FLUSH_INTERVAL_MS = 1000;
/** The automation tick: triggers, verification and rollout steps are judged this often. */
export const TICK_INTERVAL_MS = 5000;

/**
 * How long a client may take: to send a request's head (a slow-head client holds a connection and
 * its memory meanwhile; Node's default is 60 s, a real client sends its head at once), to send the
 * whole request (bundles of tens of MB over a slow link still fit; Node's default is 300 s), and how
 * often the server looks (Node's default of 30 s would let either run 30 s late).
 */
export const CLIENT_TIMEOUTS = { headersMs: 10_000, requestMs: 120_000, checkEveryMs: 1_000 };

export interface NodeEdgeOptions {
  port: number;
  host?: string;
  dataDir: string;
  /** The built web app (`vite build` output); omitted or missing → API only. */
  webRoot?: string;
  version: string;
  now?: () => number;
  /** Run the automation tick on a timer (default true; tests drive it themselves). */
  autoTick?: boolean;
  /** Origins whose pages may call the API (edge/cors.ts); default any. */
  corsOrigins?: CorsOrigins;
  /** An unknown or revoked bearer key is no key, not a 401 (EdgePorts.ignoreUnknownKeys). */
  ignoreUnknownKeys?: boolean;
  /**
   * Host names answered beyond localhost names and IP addresses (edge/runtime/allowed-hosts.ts): on a
   * loopback bind (the default) every other Host is refused, against DNS rebinding; `*` allows any.
   */
  allowedHosts?: readonly string[] | '*';
  /** CLIENT_TIMEOUTS, replaced (tests shorten them). */
  timeouts?: typeof CLIENT_TIMEOUTS;
  /** Answer own-format predict requests outside Hono, from Node's request objects (edge/runtime/node-predict.ts). Default true; the tests turn it off to compare. */
  fastPredict?: boolean;
  /**
   * Dynamic batching of concurrent predict requests (edge/batching.ts): `auto` batches a model when
   * its kernel, timed as it loads, saves enough per row in a batch; `on` / `off` force it. Default:
   * $FLYWHEEL_BATCH, else auto.
   */
  batching?: BatchMode;
  /** More routes, mounted after the edge's own (`flywheel serve` adds MLflow's /invocations, /ping, …). */
  routes?: (services: EdgeServices) => Hono<EdgeEnv>;
}

/** Cross-origin isolation, on every answer (name, value pairs): lets the web app's workers use SharedArrayBuffer (WASM threads). */
const ISOLATION_HEADERS = ['Cross-Origin-Opener-Policy', 'same-origin', 'Cross-Origin-Embedder-Policy', 'require-corp'];

export interface RunningEdge {
  url: string;
  /** The admin key created on this first start (null when one existed already). */
  adminKey: string | null;
  adminKeyFile: string;
  services: EdgeServices;
  close(): Promise<void>;
}

export async function startNodeEdge(options: NodeEdgeOptions): Promise<RunningEdge> {
  // A bad setting is refused before anything is opened.
  const batchMode = options.batching ?? parseBatchMode(process.env[BATCH_SETTING]);
  const dirs = await openDataDir(options.dataDir);
  const db = openSqlite(dirs.dbFile, { backgroundThread: true });
  await migrate(db, await readMigrations(migrationsDir));
  const turnEnd = new TurnEnd();
  const { app, services, outer } = createEdge({
    version: options.version,
    db,
    rows: db.rows,
    blobs: diskBlobStore(dirs.blobsDir),
    now: options.now ?? Date.now,
    allowTfjsFallback: true,
    corsOrigins: options.corsOrigins,
    ignoreUnknownKeys: options.ignoreUnknownKeys,
    responseHeaders: ISOLATION_HEADERS,
    // Requests are collected while the poll phase delivers them; setImmediate runs right after it.
    batching: { mode: batchMode, defer: turnEnd.defer },
  });
  const adminKey = await services.keys.ensureAdmin();
  if (adminKey) await writeSecretFile(dirs.adminKeyFile, `${adminKey}\n`, { overwrite: true });

  const root = new Hono<{ Bindings: HttpBindings } & EdgeEnv>();
  root.use('*', async (c, next) => {
    // The app's routes get them from its own middleware (edge/outer-headers.ts); the web app's files need them too.
    for (let i = 0; i < ISOLATION_HEADERS.length; i += 2) c.header(ISOLATION_HEADERS[i], ISOLATION_HEADERS[i + 1]);
    await next();
  });
  root.route('/', app);
  if (options.routes) root.route('/', options.routes(services));
  root.notFound(edgeNotFound);
  const webRoot = options.webRoot && existsSync(path.join(options.webRoot, 'index.html')) ? options.webRoot : null;
  if (webRoot) {
    const rel = path.relative(process.cwd(), webRoot) || '.';
    serveWebApp(root, rel);
  } else if (options.webRoot) explainMissingWebApp(root, options.webRoot);
  const host = options.host ?? '127.0.0.1';
  const honoFetch = getRequestListener(root.fetch, { hostname: host });
  // The adapter answers its own failures (500), so its promise is only the end of the response.
  const honoListener: RequestListener = (req, res) => void honoFetch(req, res);
  const listener =
    options.fastPredict === false ? honoListener : withFastPredict(services, honoListener, outer, turnEnd);
  const { headersMs, requestMs, checkEveryMs } = options.timeouts ?? CLIENT_TIMEOUTS;
  const server = createServer(
    { headersTimeout: headersMs, requestTimeout: requestMs, connectionsCheckingInterval: checkEveryMs },
    checkingHosts(listener, {
      bind: host,
      allowedHosts: options.allowedHosts,
      outer,
      answered: (status) => services.monitor.answered(status),
    }),
  );
  server.on('clientError', onClientError);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    await db.close();
    throw listenError(e, host, options.port);
  }
  const timer = setInterval(() => {
    services.flush().catch((e) => console.error('flywheel: telemetry flush failed, will retry:', (e as Error).message));
  }, FLUSH_INTERVAL_MS);
  timer.unref();
  const ticker =
    options.autoTick === false ? null : setInterval(() => void services.automation.tick(), TICK_INTERVAL_MS);
  ticker?.unref();
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host === '0.0.0.0' ? 'localhost' : host.includes(':') ? `[${host}]` : host}:${port}`,
    adminKey,
    adminKeyFile: dirs.adminKeyFile,
    services,
    async close() {
      clearInterval(timer);
      if (ticker) clearInterval(ticker);
      // Node's server closes idle keep-alive connections itself; busy ones go after their answer.
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await services
        .flush()
        .catch((e) =>
          console.error(
            'flywheel: the last write of telemetry and the prediction log failed; what was buffered is lost:',
            (e as Error).message,
          ),
        );
      await db.close();
    },
  };
}

/** A failed listen in words a user can act on (the port is taken, or needs privileges), else the error itself. */
function listenError(e: unknown, host: string, port: number): unknown {
  const code = (e as NodeJS.ErrnoException).code;
  const where = `${host}:${port}`;
  if (code === 'EADDRINUSE')
    return new FlywheelError(
      'bad_input',
      `port ${port} is already in use on ${host}: stop what is listening there, or choose another with --port`,
      [{ path: 'port', message: `${where} in use` }],
    );
  if (code === 'EACCES')
    return new FlywheelError(
      'bad_input',
      `not allowed to listen on ${where} (ports below 1024 need privileges): choose another with --port`,
      [{ path: 'port', message: `${where} not permitted` }],
    );
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
    return new FlywheelError('bad_input', `cannot listen on ${host}: no such address on this machine (--host)`, [
      { path: 'host', message: `${host} unavailable` },
    ]);
  return e;
}
