/**
 * `flywheel serve BUNDLE` as a user runs it: the real CLI process on a real port, called by the
 * clients of each protocol it speaks — the pandas + requests MLflow client, curl as TF Serving's
 * docs use it, and bodies as tritonclient sends them (JSON without a content type, binary tensors).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCaptured } from './run-captured';
import { penguinsBundle, runPythonClient, type ClientAnswer } from '../tests/contract/clients/python-client';

const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bin.js');
const PENGUIN = {
  Island: 'Biscoe',
  'Beak Length (mm)': 47.5,
  'Beak Depth (mm)': 14.2,
  'Flipper Length (mm)': 215,
  'Body Mass (g)': 5300,
  Sex: 'MALE',
};

let dir: string;
let child: ChildProcess;
let url: string;
let tmp: string;

/** Starts `flywheel serve` and resolves its URL from the line it prints once listening. */
function startServe(args: string[]): Promise<string> {
  // Its own temporary folder, to see that the throwaway data folder is gone after it stops.
  child = spawn(process.execPath, [bin, 'serve', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, TMPDIR: tmp },
  });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const m = / at (http:\/\/\S+) /.exec(err);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`flywheel serve exited with ${code}: ${err}`)));
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'flywheel-serve-test-'));
  tmp = path.join(dir, 'tmp');
  await mkdir(tmp);
  const bundle = path.join(dir, 'penguins.zip');
  await writeFile(bundle, await penguinsBundle());
  url = await startServe([bundle, '--port', '0']);
});

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

describe('flywheel serve', () => {
  it("answers MLflow's probes and the pandas client unchanged at /invocations", async () => {
    for (const probe of ['/ping', '/health']) expect((await fetch(`${url}${probe}`)).status, probe).toBe(200);
    expect(await (await fetch(`${url}/version`)).text()).toMatch(/^\d+\.\d+\.\d+/);
    const out = await runPythonClient<Record<string, ClientAnswer>>('mlflow_pandas.py', [`${url}/invocations`]);
    const native = await fetch(`${url}/v1/models/penguins/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ instances: [PENGUIN] }),
    });
    const [first] = ((await native.json()) as { predictions: { label: string }[] }).predictions;
    for (const form of ['split_dict', 'records_nan', 'csv', 'pandas_split_format', 'with_params']) {
      expect(out[form].status, form).toBe(200);
      expect((out[form].body as { predictions: string[] }).predictions[0], form).toBe(first.label);
    }
    expect(out.no_form).toMatchObject({ status: 400, body: { error_code: 'BAD_REQUEST' } });
  });

  it("answers TF Serving's documented curl request, form content type and all", async () => {
    // TF Serving's api_rest.md: curl -d '{"instances": [...]}' -X POST http://host:port/v1/models/NAME:predict
    const { stdout } = await promisify(execFile)(
      'curl',
      ['-s', '-d', JSON.stringify({ instances: [PENGUIN] }), '-X', 'POST', `${url}/v1/models/penguins:predict`],
      { timeout: 30_000 },
    );
    const answer = JSON.parse(stdout) as { predictions: { label: string }[]; model_version: string };
    expect(answer.model_version).toBe('1');
    expect(answer.predictions[0].label).toMatch(/^(Adelie|Chinstrap|Gentoo)$/);
  });

  it("answers TF Serving's Python client unchanged: status, metadata, rows, columns, versions and labels", async () => {
    const out = await runPythonClient<Record<string, ClientAnswer>>('tf_serving_requests.py', [url, 'penguins']);
    for (const form of [
      'status',
      'version_status',
      'label_status',
      'metadata',
      'version_metadata',
      'rows',
      'columns',
      'signature',
      'version',
      'label',
    ])
      expect(out[form].status, form).toBe(200);
    expect(out.label_status.body).toEqual({
      model_version_status: [{ version: '1', state: 'AVAILABLE', status: { error_code: 'OK', error_message: '' } }],
    });
    expect((out.columns.body as { outputs: { label: string[] } }).outputs.label).toEqual(
      (out.rows.body as { predictions: { label: string }[] }).predictions.map((p) => p.label),
    );
    expect(out.unknown_model).toMatchObject({ status: 404, body: { error: expect.stringContaining('"half"') } });
  });

  it('answers an Open Inference Protocol request sent without a content type', async () => {
    const inputs = Object.entries(PENGUIN).map(([name, v]) => ({
      name,
      shape: [1],
      datatype: typeof v === 'number' ? 'FP64' : 'BYTES',
      data: [v],
    }));
    // Bytes, not a string: fetch would label a string text/plain.
    const res = await fetch(`${url}/v2/models/penguins/infer`, {
      method: 'POST',
      body: new TextEncoder().encode(JSON.stringify({ inputs })),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { outputs: { name: string }[] }).outputs[0].name).toBe('label');
  });

  it("ignores credentials a gateway in front sends (it hands out no keys): a bearer token, a proxy's Basic auth", async () => {
    for (const authorization of ['Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln', 'Basic Zm9vOmJhcg==']) {
      const { stdout } = await promisify(execFile)(
        'curl',
        [
          '-s',
          '-H',
          `authorization: ${authorization}`,
          '-d',
          JSON.stringify({ instances: [PENGUIN] }),
          `${url}/v1/models/penguins:predict`,
        ],
        { timeout: 30_000 },
      );
      expect((JSON.parse(stdout) as { predictions: unknown[] }).predictions, authorization).toHaveLength(1);
      const v2 = await fetch(`${url}/v2/models/penguins/ready`, { headers: { authorization } });
      expect(v2.status, authorization).toBe(200);
    }
  });

  it("answers a tritonclient-style client's binary tensors unchanged", async () => {
    const out = await runPythonClient<
      Record<string, { status: number; binary?: boolean; labels?: string[] }> & {
        version_ready: boolean;
        missing_version_ready: boolean;
      }
    >('triton_binary.py', [url, 'penguins']);
    expect(out).toMatchObject({ version_ready: true, missing_version_ready: false });
    expect(out.binary_default).toMatchObject({ status: 200, binary: true });
    expect(out.binary_default.labels).toHaveLength(3);
    expect(out.json.labels).toEqual(out.binary_default.labels);
  });

  it('stops on SIGTERM with exit code 0, its throwaway data folder removed', async () => {
    // tsx keeps its cache in the same folder; the data folder is flywheel-serve-*.
    const dataFolders = async () => (await readdir(tmp)).filter((f) => f.startsWith('flywheel-serve-'));
    expect(await dataFolders()).toHaveLength(1);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(await dataFolders()).toEqual([]);
  });

  it('refuses a file that is not a bundle, naming it', async () => {
    const junk = path.join(dir, 'junk.zip');
    await writeFile(junk, 'not a zip');
    const { code, err: stderr } = await runCaptured('serve', junk, '--port', '0');
    expect(code).toBe(2);
    expect(stderr).toContain('junk.zip');
  });
});
