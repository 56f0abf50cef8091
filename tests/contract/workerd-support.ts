/**
 * Running the Worker for tests and benches: the bundle edge/build-worker.ts makes, on workerd through
 * miniflare, with D1 and R2 simulated locally and the configuration edge/wrangler.toml deploys.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A setting of edge/wrangler.toml (top-level `key = "value"` lines only), so tests run what is deployed. */
export async function wranglerSetting(key: string): Promise<string> {
  const toml = await readFile(path.join(root, 'edge', 'wrangler.toml'), 'utf8');
  const m = new RegExp(`^${key}\\s*=\\s*"([^"]*)"`, 'm').exec(toml);
  if (!m) throw new Error(`edge/wrangler.toml has no ${key}`);
  return m[1];
}

export interface WorkerOptions {
  /** The built bundle (an ES module). */
  scriptPath: string;
  /** The ADMIN_KEY secret; omitted → none. */
  adminKey?: string;
  /** A folder to keep D1 and R2 in across restarts; omitted → in memory. */
  persistDir?: string;
}

/** Starts the Worker on an ephemeral loopback port; `url` has no trailing slash. */
export async function startWorker(options: WorkerOptions): Promise<{ mf: Miniflare; url: string }> {
  const persist = options.persistDir
    ? { d1Persist: path.join(options.persistDir, 'd1'), r2Persist: path.join(options.persistDir, 'r2') }
    : {};
  const mf = new Miniflare({
    modules: true,
    scriptPath: options.scriptPath,
    // Module names are paths relative to this root; the default (the working directory) cannot reach a temp folder.
    modulesRoot: path.dirname(options.scriptPath),
    // What wrangler does by default: an imported .wasm file is a module compiled ahead of time (the Dense kernel).
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
    compatibilityDate: await wranglerSetting('compatibility_date'),
    d1Databases: ['DB'],
    r2Buckets: ['BUNDLES'],
    bindings: options.adminKey ? { ADMIN_KEY: options.adminKey } : {},
    host: '127.0.0.1',
    port: 0,
    ...persist,
  });
  const url = await mf.ready;
  return { mf, url: url.origin };
}
