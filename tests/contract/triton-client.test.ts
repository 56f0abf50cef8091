/**
 * The Open Inference Protocol against the real Node edge, driven by a Python client that encodes
 * and decodes as tritonclient.http does (tests/contract/clients/triton_binary.py: numpy arrays,
 * binary tensors by default), compared with what the native predict route answers for the same rows.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeEdge, type RunningEdge } from '../../edge/runtime/node';
import { penguinsBundle, runPythonClient } from './clients/python-client';

/** The rows the script sends (as numpy float32, int64, float64 and object columns). */
const ROWS = [
  {
    Island: 'Biscoe',
    'Beak Length (mm)': 47.5,
    'Beak Depth (mm)': 14.2,
    'Flipper Length (mm)': 215,
    'Body Mass (g)': 5300,
    Sex: 'MALE',
  },
  {
    Island: 'Dream',
    'Beak Length (mm)': 39.0,
    'Beak Depth (mm)': 18.5,
    'Flipper Length (mm)': 190,
    'Body Mass (g)': 3650,
    Sex: 'FEMALE',
  },
  {
    Island: 'Torgersen',
    'Beak Length (mm)': 38.6,
    'Beak Depth (mm)': 19.1,
    'Flipper Length (mm)': 181,
    'Body Mass (g)': 3750,
    Sex: 'FEMALE',
  },
];

interface InferResult {
  status: number;
  error?: string;
  content_type?: string;
  binary?: boolean;
  outputs?: string[];
  labels?: string[] | null;
  probabilities?: number[][] | null;
  id?: string | null;
  parameters?: Record<string, unknown> | null;
}

type Results = Record<string, InferResult> & {
  server_metadata: { extensions: string[] };
  server_ready: boolean;
  model_ready: boolean;
  version_ready: boolean;
  missing_version_ready: boolean;
  missing_model_ready: boolean;
};

let edge: RunningEdge;
let dataDir: string;
let results: Results;
let native: { predictions: { label: string; probabilities: Record<string, number> }[] };

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'flywheel-triton-'));
  edge = await startNodeEdge({ port: 0, dataDir, version: 'triton-test', autoTick: false });
  const res = await fetch(`${edge.url}/v1/models/penguins/versions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${edge.adminKey}`, 'content-type': 'application/zip' },
    body: (await penguinsBundle()) as Uint8Array<ArrayBuffer>,
  });
  expect(res.status).toBe(201);
  results = await runPythonClient<Results>('triton_binary.py', [edge.url, 'penguins']);
  native = await (
    await fetch(`${edge.url}/v1/models/penguins/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ instances: ROWS }),
    })
  ).json();
}, 120_000);

afterAll(async () => {
  await edge?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('a tritonclient-style client', () => {
  it('finds the server and the model ready, and versions or models that do not exist not ready', () => {
    expect(results.server_metadata.extensions).toContain('binary_tensor_data');
    expect(results).toMatchObject({
      server_ready: true,
      model_ready: true,
      version_ready: true,
      missing_version_ready: false,
      missing_model_ready: false,
    });
  });

  it("gets the native route's predictions from binary tensors, with outputs binary, JSON or mixed", () => {
    const labels = native.predictions.map((p) => p.label);
    const probabilities = native.predictions.map((p) => Object.values(p.probabilities));
    for (const form of ['binary_default', 'mixed_outputs', 'json']) {
      const r = results[form];
      expect({ form, status: r.status, labels: r.labels }).toEqual({ form, status: 200, labels });
      expect(r.outputs).toEqual(['label', 'probabilities']);
      r.probabilities!.forEach((row, i) => row.forEach((p, j) => expect(p).toBeCloseTo(probabilities[i][j], 6)));
    }
    expect(results.binary_default).toMatchObject({
      binary: true,
      content_type: 'application/octet-stream',
      id: 'py-1',
    });
    expect(results.json).toMatchObject({ binary: false, content_type: expect.stringContaining('application/json') });
    expect(results.binary_label_only).toMatchObject({ status: 200, binary: true, outputs: ['label'], labels });
    expect(results.matrix).toMatchObject({ status: 200, labels });
    expect(
      Object.values(results.binary_default.parameters!).every((v) =>
        ['string', 'number', 'boolean'].includes(typeof v),
      ),
    ).toBe(true);
  });

  it('reads errors from {"error"}: an output the model lacks, a number for a category', () => {
    expect(results.unknown_output).toEqual({
      status: 400,
      error: 'the model has no output(s) "output0"; its outputs are "label", "probabilities"',
    });
    expect(results.number_for_category.status).toBe(400);
    expect(results.number_for_category.error).toContain('rows[0].Island: expected a category');
  });
});
