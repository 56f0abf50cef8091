/**
 * TF Serving's REST API (KServe V1) against the real Node edge, driven by real clients: the `curl`
 * calls of TF Serving's own api_rest.md ("Example": model status, a predict with `curl -d`, which
 * sends application/x-www-form-urlencoded, and the 404 of a model that is not there), and a Python
 * client with requests and pandas (tests/contract/clients/tf_serving_requests.py). The doc's toy
 * model, half_plus_three (y = x / 2 + 3, one input), is trained here as a one-feature linear model.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeSourceIO } from '../../cli/node-io';
import { runPipeline } from '../../core/pipeline';
import { startNodeEdge, type RunningEdge } from '../../edge/runtime/node';
import { penguinsBundle, runPythonClient, type ClientAnswer } from './clients/python-client';

let edge: RunningEdge;
let dataDir: string;
let answers: Promise<Record<string, ClientAnswer>> | null = null;

/** curl as api_rest.md runs it; `-i` puts the status line and headers before the body. */
async function curl(args: string[]): Promise<{ status: number; body: unknown }> {
  const { stdout } = await promisify(execFile)('curl', ['-s', '-i', ...args], { timeout: 30_000 });
  const [head, ...rest] = stdout.split('\r\n\r\n');
  return { status: Number(/^HTTP\/[\d.]+ (\d{3})/.exec(head)![1]), body: JSON.parse(rest.join('\r\n\r\n')) };
}

async function publish(name: string, bytes: Uint8Array): Promise<void> {
  const res = await fetch(`${edge.url}/v1/models/${name}/versions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${edge.adminKey}`, 'content-type': 'application/zip' },
    body: bytes as Uint8Array<ArrayBuffer>,
  });
  expect(res.status).toBe(201);
}

/** half_plus_three from TF Serving's test data, as a Flywheel model: y = 0.5 x + 3 on x in [0, 10]. */
async function halfPlusThree(dir: string): Promise<Uint8Array> {
  const csv = path.join(dir, 'half_plus_three.csv');
  await writeFile(csv, `x,y\n${Array.from({ length: 101 }, (_, i) => `${i / 10},${i / 20 + 3}`).join('\n')}\n`);
  await tf.setBackend('cpu');
  const spec = {
    name: 'half_plus_three',
    data: csv,
    target: 'y',
    model: { type: 'linear' },
    split: { test: 0.1, validation: 0.1, seed: 1 },
    train: { epochs: 200, learningRate: 0.05, seed: 1 },
  };
  return (await runPipeline(spec, { io: nodeSourceIO, backend: 'cpu', codeVersion: 'tf-serving' })).bundle.bytes;
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'flywheel-tf-serving-'));
  edge = await startNodeEdge({ port: 0, dataDir, version: 'tf-serving-test', autoTick: false });
  await publish('penguins', await penguinsBundle());
  await publish('half_plus_three', await halfPlusThree(dataDir));
}, 120_000);

afterAll(async () => {
  await edge?.close();
  await rm(dataDir, { recursive: true, force: true });
});

function clientAnswers(): Promise<Record<string, ClientAnswer>> {
  answers ??= runPythonClient<Record<string, ClientAnswer>>('tf_serving_requests.py', [edge.url, 'penguins']);
  return answers;
}

const AVAILABLE = (version: string) => ({
  version,
  state: 'AVAILABLE',
  status: { error_code: 'OK', error_message: '' },
});

describe("TF Serving's api_rest.md examples with curl", () => {
  it('reports the model status', async () => {
    const res = await curl([`${edge.url}/v1/models/half_plus_three`]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ model_version_status: [AVAILABLE('1')] });
  });

  it('predicts `curl -d \'{"instances": [1.0,2.0,5.0]}\'` as half_plus_three does', async () => {
    const res = await curl([
      '-d',
      '{"instances": [1.0,2.0,5.0]}',
      '-X',
      'POST',
      `${edge.url}/v1/models/half_plus_three:predict`,
    ]);
    expect(res.status).toBe(200);
    const { predictions } = res.body as { predictions: number[] };
    // TF Serving answers [3.5, 4.0, 5.5]; this model learned the line, within a tenth.
    [3.5, 4.0, 5.5].forEach((y, i) => expect(Math.abs(predictions[i] - y)).toBeLessThan(0.1));
  });

  it('answers a model that is not there with 404 and {"error": …}, whatever the body', async () => {
    const res = await curl(['-d', '{"instances": [1.0,5.0]}', '-X', 'POST', `${edge.url}/v1/models/half:predict`]);
    expect(res).toEqual({ status: 404, body: { error: expect.stringContaining('"half"') } });
  });

  it('refuses scalar instances for a model with more than one input, saying what it expects', async () => {
    const res = await curl(['-d', '{"instances": [1.0,2.0]}', `${edge.url}/v1/models/penguins:predict`]);
    expect(res.status).toBe(400);
    expect((res.body as { error: string }).error).toMatch(
      /instances\[0\]: expected 6 values in signature order \(Island, /,
    );
  });
});

describe('a private model', () => {
  it('needs a predict key on every TF Serving path, and says so before judging the body', async () => {
    const patch = await fetch(`${edge.url}/v1/models/half_plus_three`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${edge.adminKey}`, 'content-type': 'application/json' },
      body: '{"private": true}',
    });
    expect(patch.status).toBe(200);
    try {
      for (const args of [
        [`${edge.url}/v1/models/half_plus_three/metadata`],
        [`${edge.url}/v1/models/half_plus_three/labels/champion`],
        ['-d', 'not json', `${edge.url}/v1/models/half_plus_three/versions/1:predict`],
      ]) {
        expect(await curl(args), args.join(' ')).toEqual({
          status: 401,
          body: { error: expect.stringContaining('private') },
        });
      }
      const keyed = await curl([
        '-H',
        `Authorization: Bearer ${edge.adminKey}`,
        '-d',
        '{"instances": [1.0]}',
        `${edge.url}/v1/models/half_plus_three/labels/champion:predict`,
      ]);
      expect(keyed.status).toBe(200);
    } finally {
      await fetch(`${edge.url}/v1/models/half_plus_three`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${edge.adminKey}`, 'content-type': 'application/json' },
        body: '{"private": false}',
      });
    }
  });
});

describe('a Python client (requests, pandas)', () => {
  it('reads the status of the model, a version and a label, with the native fields kept', async () => {
    const out = await clientAnswers();
    expect(out.status).toMatchObject({
      status: 200,
      body: { name: 'penguins', aliases: { champion: 1 }, ready: true, model_version_status: [AVAILABLE('1')] },
    });
    expect(out.version_status).toMatchObject({
      status: 200,
      body: { version: 1, manifest: { name: 'penguins' }, model_version_status: [AVAILABLE('1')] },
    });
    expect(out.label_status).toEqual({
      status: 200,
      content_type: 'application/json',
      body: { model_version_status: [AVAILABLE('1')] },
    });
  });

  it('reads the serving_default signature from the metadata', async () => {
    const out = await clientAnswers();
    for (const form of ['metadata', 'version_metadata']) {
      expect(out[form].status).toBe(200);
      const body = out[form].body as {
        model_spec: unknown;
        metadata: {
          signature_def: {
            signature_def: Record<
              string,
              {
                inputs: Record<string, { dtype: string; tensor_shape: unknown }>;
                outputs: Record<string, { dtype: string; tensor_shape: { dim: { size: string }[] } }>;
                method_name: string;
              }
            >;
          };
        };
      };
      expect(body.model_spec).toEqual({ name: 'penguins', signature_name: '', version: '1' });
      const sig = body.metadata.signature_def.signature_def.serving_default;
      expect(Object.keys(sig.inputs)).toEqual([
        'Island',
        'Beak Length (mm)',
        'Beak Depth (mm)',
        'Flipper Length (mm)',
        'Body Mass (g)',
        'Sex',
      ]);
      expect(sig.inputs.Island).toEqual({
        dtype: 'DT_STRING',
        tensor_shape: { dim: [{ size: '-1', name: '' }], unknown_rank: false },
        name: 'Island',
      });
      expect(sig.inputs['Body Mass (g)'].dtype).toMatch(/^DT_(DOUBLE|INT64)$/);
      expect(sig.outputs.label.dtype).toBe('DT_STRING');
      expect(sig.outputs.probabilities.tensor_shape.dim.map((d) => d.size)).toEqual(['-1', '3']);
      expect(sig.method_name).toBe('tensorflow/serving/predict');
    }
  });

  it('answers rows with predictions and columns with outputs, on the model, a version and a label', async () => {
    const out = await clientAnswers();
    const rows = out.rows.body as { predictions: { label: string; probabilities: Record<string, number> }[] };
    expect(out.rows.status).toBe(200);
    expect(rows.predictions).toHaveLength(3);
    const labels = rows.predictions.map((p) => p.label);
    for (const form of ['rows_json_type', 'signature', 'version', 'label'])
      expect({ form, ...out[form] }).toMatchObject({ form, status: 200, body: { predictions: rows.predictions } });
    const columns = out.columns.body as { outputs: { label: string[]; probabilities: number[][] } };
    expect(out.columns.status).toBe(200);
    expect(columns).not.toHaveProperty('predictions');
    expect(columns.outputs.label).toEqual(labels);
    // [n, classes] in the order of a row answer's keys.
    expect(columns.outputs.probabilities).toEqual(rows.predictions.map((p) => Object.values(p.probabilities)));
  });

  it('refuses what it cannot serve with {"error": "<message>"} naming what was wrong', async () => {
    const out = await clientAnswers();
    const error = (form: string, status: number, text: string | RegExp) => {
      expect({ form, status: out[form].status }).toEqual({ form, status });
      expect(Object.keys(out[form].body as object)).toEqual(['error']);
      expect((out[form].body as { error: string }).error).toMatch(text);
    };
    error('bad_signature', 400, /signature_name "classify_objects".*serving_default/);
    error('unknown_label', 404, /no label "stable": its labels are champion/);
    error('unknown_version', 404, /no version 99/);
    error('infinity', 400, /Body Mass \(g\)/);
    error('both_forms', 400, /either "instances" \(rows\) or "inputs" \(columns\), not both/);
    error('bad_json', 400, /not valid JSON/);
    error('unknown_model', 404, /no model named "half"/);
    error('unknown_model_bad_body', 404, /no model named "half"/);
    error(
      'unknown_verb',
      404,
      /no route for POST \/v1\/models\/penguins:classify: TF Serving's :classify is not served here; :predict answers/,
    );
  });
});

describe('/metrics', () => {
  /** flywheel_rejected_requests_total by HTTP status. */
  async function rejected(): Promise<Map<string, number>> {
    const text = await (await fetch(`${edge.url}/metrics`)).text();
    return new Map(
      [...text.matchAll(/^flywheel_rejected_requests_total\{status_class="(\dxx)",code="(\d+)"\} (\d+)$/gm)].map(
        (m) => {
          expect(m[1]).toBe(`${m[2][0]}xx`);
          return [m[2], Number(m[3])];
        },
      ),
    );
  }

  it('counts every rejected request under its status, on every route and transport', async () => {
    const before = await rejected();
    const send = (p: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
      fetch(`${edge.url}${p}`, { method: 'POST', body, headers }).then((r) => r.status);
    const sent = [
      await send('/v1/models/penguins/predict', '{"instances": ['), // bad JSON, Node's fast path
      await send('/v1/models/penguins:predict', '{"instances": ['), // bad JSON, TF Serving
      await send('/v1/models/penguins/predict', '{}', { 'content-type': 'text/plain' }), // bad content type
      await send('/v1/models/ghost/predict', '{"instances": [{}]}'), // unknown model
      await send('/v1/models/ghost:predict', '{"instances": [{}]}'),
      await send('/v1/models/ghost/invocations', '{"instances": [{}]}'),
      await send('/v1/models/penguins/predict', JSON.stringify({ instances: [{ pad: 'x'.repeat(5 * 2 ** 20) }] })), // too large
      await send('/v1/models/penguins/predict', '{"instances": [{}]}', {
        'content-type': 'application/json',
        authorization: 'Bearer fw_nope',
      }), // unknown key
      (await fetch(`${edge.url}/v1/models/penguins/nope`)).status, // unknown route
    ];
    expect(sent).toEqual([400, 400, 400, 404, 404, 404, 413, 401, 404]);
    const after = await rejected();
    const delta = (code: string) => (after.get(code) ?? 0) - (before.get(code) ?? 0);
    expect({ 400: delta('400'), 401: delta('401'), 404: delta('404'), 413: delta('413') }).toEqual({
      400: 3,
      401: 1,
      404: 4,
      413: 1,
    });
  });
});
