import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EdgeClient } from '../../core/api/client';
import { readBundle } from '../../core/bundle';
import { compileLeanModel } from '../../core/infer';
import { buildWorker, WORKER_GZIP_TARGET_BYTES, type WorkerBuild } from '../../edge/build-worker';
import { KeyStore } from '../../edge/keys';
import { d1Database } from '../../edge/store/d1';
import { readMigrations } from '../../edge/store';
import { edgeContract } from './edge.contract';
import { fixtures, PENGUIN } from './fixtures';
import { startWorker, wranglerSetting } from './workerd-support';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const scratch = await mkdtemp(path.join(tmpdir(), 'flywheel-workerd-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

let bundle: Promise<WorkerBuild> | null = null;
/** The Worker, built once for the whole file. */
const worker = () => (bundle ??= buildWorker(path.join(scratch, 'bundle')));

/** A random secret, as an operator would choose with `openssl rand`. */
const secret = () => `fw_admin_${Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString('base64url')}`;

edgeContract('workerd + D1/R2 (miniflare)', async () => {
  const adminKey = secret();
  const { mf, url } = await startWorker({ scriptPath: (await worker()).file, adminKey });
  // The first request migrates D1 and installs ADMIN_KEY; the predict key goes straight into D1.
  expect((await fetch(`${url}/healthz`)).status).toBe(200);
  const predictKey = (
    await new KeyStore(d1Database(await mf.getD1Database('DB')), Date.now).create('predict', 'contract')
  ).key;
  return { url, adminKey, predictKey, coarseClock: true, close: () => mf.dispose() };
});

describe('the Worker bundle', () => {
  it('holds no tfjs (the fallback is the stub) and is under its gzipped size target', async () => {
    const built = await worker();
    expect(built.inputs.filter((i) => i.includes('@tensorflow'))).toEqual([]);
    expect(built.inputs).not.toContain(path.join('core', 'infer', 'tfjs-fallback.ts'));
    expect(built.inputs).toContain(path.join('edge', 'runtime', 'tfjs-fallback-stub.ts'));
    expect(built.gzipBytes).toBeLessThan(WORKER_GZIP_TARGET_BYTES);
  });
});

describe('the Worker on workerd', () => {
  let mf: Miniflare;
  let url: string;
  beforeAll(async () => {
    // Too short to be installed: the Worker must still serve, with admin routes closed.
    ({ mf, url } = await startWorker({ scriptPath: (await worker()).file, adminKey: 'too-short' }));
    // The first request starts the isolate: D1 is migrated from then on.
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });
  afterAll(() => mf?.dispose());

  it('migrates D1 with every file of edge/migrations and records them for wrangler too', async () => {
    const db = d1Database(await mf.getD1Database('DB'));
    const onDisk = (await readMigrations(path.join(root, 'edge', 'migrations'))).map((m) => m.name);
    for (const table of ['_migrations', 'd1_migrations']) {
      expect((await db.all<{ name: string }>(`SELECT name FROM ${table} ORDER BY name`)).map((r) => r.name)).toEqual(
        onDisk,
      );
    }
  });

  it('serves public routes when ADMIN_KEY is unusable, and closes the admin ones', async () => {
    const res = await fetch(`${url}/v1/models/m/versions`, {
      method: 'POST',
      body: new Uint8Array(1),
      headers: { 'content-type': 'application/zip', authorization: 'Bearer too-short' },
    });
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('unauthorized');
  });

  it('writes the prediction log and telemetry after the response, with no reader asking (ctx.waitUntil)', async () => {
    const db = d1Database(await mf.getD1Database('DB'));
    const { key } = await new KeyStore(db, Date.now).create('admin', 'test');
    await new EdgeClient(url, { key }).publish('penguins', (await fixtures()).penguins);
    const res = await fetch(`${url}/v1/models/penguins/predict`, {
      method: 'POST',
      body: JSON.stringify({ instances: [PENGUIN] }),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(200);
    const written = async () =>
      (await db.first<{ n: number }>(
        'SELECT (SELECT COUNT(*) FROM predictions) + (SELECT COUNT(*) FROM telemetry) AS n',
      ))!.n;
    // No route reads them back (that would flush): wait for the Worker's own write.
    await expect.poll(written, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    expect(await db.first('SELECT COUNT(*) AS n FROM predictions')).toEqual({ n: 1 });
  });

  it('answers the Cron Trigger', async () => {
    // Miniflare types its Fetcher with @cloudflare/workers-types, which is not installed; it has `scheduled`.
    const fetcher = (await mf.getWorker()) as unknown as {
      scheduled(options: { cron: string }): Promise<{ outcome: string }>;
    };
    const result = await fetcher.scheduled({ cron: '* * * * *' });
    expect(result.outcome).toBe('ok');
  });

  // What the Worker does (edge/runtime/worker.ts) and what a Worker that bundles core/infer without the
  // precompiled kernel gets: the same results either way.
  for (const provided of [true, false]) {
    it(
      provided
        ? 'runs the lean runtime on its WebAssembly kernel from the precompiled module, with the same results'
        : 'falls back to the JS Dense kernel without the precompiled module (workerd refuses to compile wasm), with the same results',
      async () => {
        const zip = (await fixtures()).penguins;
        const probeDir = path.join(scratch, provided ? 'probe-wasm' : 'probe-js');
        const probeFile = path.join(probeDir, 'probe.js');
        await build({
          stdin: {
            contents: `
            import { readBundle } from './core/bundle';
            import { compileLeanModel } from './core/infer';
            import { provideWasmDenseModule, wasmDenseModule } from './core/infer/wasm-dense-kernel';
            ${provided ? "import kernel from './dense-kernel.wasm'; provideWasmDenseModule(kernel);" : ''}
            export default { async fetch(req) {
              const bundle = await readBundle(new Uint8Array(await req.arrayBuffer()));
              const model = compileLeanModel({ modelJson: bundle.modelJson, weights: bundle.weights });
              const input = new Float32Array(model.inputDim * 3).map((_, i) => (i % 7) / 7 - 0.5);
              return Response.json({ wasm: wasmDenseModule() !== null, kernel: model.kernel, output: Array.from(model.predict(input, 3)) });
            } };`,
            resolveDir: root,
            loader: 'ts',
          },
          outfile: probeFile,
          bundle: true,
          format: 'esm',
          platform: 'browser',
          external: ['./dense-kernel.wasm'],
          logLevel: 'silent',
        });
        if (provided) await copyFile((await worker()).kernelFile, path.join(probeDir, 'dense-kernel.wasm'));
        const probe = await startWorker({ scriptPath: probeFile });
        try {
          const got = await (await fetch(probe.url, { method: 'POST', body: zip as Uint8Array<ArrayBuffer> })).json();
          expect(got.wasm).toBe(provided);
          expect(got.kernel).toBe(provided ? 'wasm' : 'js');
          const local = await readBundle(zip);
          const model = compileLeanModel({ modelJson: local.modelJson as never, weights: local.weights });
          const want = Array.from(
            model.predict(
              new Float32Array(model.inputDim * 3).map((_, i) => (i % 7) / 7 - 0.5),
              3,
            ),
          );
          expect(got.output).toHaveLength(want.length);
          got.output.forEach((v: number, i: number) => expect(v).toBeCloseTo(want[i], 6));
        } finally {
          await probe.mf.dispose();
        }
      },
    );
  }

  it('uses the compatibility date of edge/wrangler.toml', async () => {
    expect(await wranglerSetting('compatibility_date')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("deploys what this test runs: wrangler.toml's build is the npm script that writes its main, from any folder", async () => {
    // wrangler runs the build in its own working directory (a `cwd` there is not taken from the file's
    // folder), so the command is an npm script: npm runs it at the repository root wherever it starts.
    expect(await readFile(path.join(root, 'edge', 'wrangler.toml'), 'utf8')).not.toMatch(/^cwd\s*=/m);
    const script = /^npm run --silent ([\w:-]+)$/.exec(await wranglerSetting('command'))?.[1];
    const scripts = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')).scripts as Record<
      string,
      string
    >;
    const outdir = /^tsx edge\/build-worker\.ts (\S+)$/.exec(scripts[script ?? ''] ?? '')?.[1];
    expect(outdir, `the build script ${script}: ${scripts[script ?? '']}`).toBeDefined();
    expect(path.resolve(root, 'edge', await wranglerSetting('main'))).toBe(path.join(root, outdir!, 'worker.js'));
  });

  it('has `wrangler dev` watch sources but not edge/.wrangler, where it writes (else it rebuilds forever)', async () => {
    const toml = await readFile(path.join(root, 'edge', 'wrangler.toml'), 'utf8');
    const dirs = [...(/^watch_dir\s*=\s*\[(.*)\]$/m.exec(toml)?.[1] ?? '').matchAll(/"([^"]+)"/g)].map((m) =>
      path.resolve(root, 'edge', m[1]),
    );
    expect(dirs).toContain(path.join(root, 'core'));
    for (const dir of dirs) {
      expect(existsSync(dir), dir).toBe(true);
      expect(path.relative(dir, path.join(root, 'edge', '.wrangler')).startsWith('..'), dir).toBe(true);
    }
  });
});
