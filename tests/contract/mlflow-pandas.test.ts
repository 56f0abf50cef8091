/**
 * MLflow's scoring protocol against the real Node edge, driven by a real client: frames made by
 * pandas and sent by requests (tests/contract/clients/mlflow_pandas.py), compared with what the
 * native predict route answers for the same rows.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeEdge, type RunningEdge } from '../../edge/runtime/node';
import { penguinsBundle, runPythonClient, type ClientAnswer } from './clients/python-client';

/** The frame the script sends, with NaN as null: what the native route is asked for comparison. */
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
    Sex: null,
  },
  {
    Island: 'Torgersen',
    'Beak Length (mm)': null,
    'Beak Depth (mm)': 19.1,
    'Flipper Length (mm)': 181,
    'Body Mass (g)': 3750,
    Sex: 'FEMALE',
  },
];

let edge: RunningEdge;
let dataDir: string;
let answers: Promise<Record<string, ClientAnswer>> | null = null;

/** The script's answers, run once for the tests that read them. */
function clientAnswers(): Promise<Record<string, ClientAnswer>> {
  answers ??= runPythonClient<Record<string, ClientAnswer>>('mlflow_pandas.py', [
    `${edge.url}/v1/models/penguins/invocations`,
  ]);
  return answers;
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'flywheel-mlflow-'));
  edge = await startNodeEdge({ port: 0, dataDir, version: 'mlflow-test', autoTick: false });
  const res = await fetch(`${edge.url}/v1/models/penguins/versions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${edge.adminKey}`, 'content-type': 'application/zip' },
    body: (await penguinsBundle()) as Uint8Array<ArrayBuffer>,
  });
  expect(res.status).toBe(201);
});

afterAll(async () => {
  await edge?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** The labels the native route gives `rows`. */
async function nativeLabels(rows: unknown[]): Promise<string[]> {
  const res = await fetch(`${edge.url}/v1/models/penguins/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ instances: rows }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { predictions: { label: string }[] }).predictions.map((p) => p.label);
}

describe('MLflow /invocations with pandas and requests', () => {
  it('answers every form a pandas client sends, NaN as missing, as the native route does', async () => {
    const out = await clientAnswers();
    const expected = await nativeLabels(ROWS);
    expect(expected).toHaveLength(3);
    for (const form of [
      'split_dict',
      'split_to_json',
      'records_nan',
      'csv',
      'csv_nan',
      'csv_r_na',
      'pandas_split_format',
      'records_format',
      'instances',
      'inputs_columns',
      'with_params',
      'no_content_type',
    ]) {
      expect({ form, ...out[form] }).toMatchObject({ form, status: 200, body: { predictions: expected } });
    }
  });

  it('refuses what it cannot read in MLflow error shape, naming what was wrong', async () => {
    const out = await clientAnswers();
    expect(out.infinity).toMatchObject({ status: 400, body: { error_code: 'BAD_REQUEST' } });
    expect((out.infinity.body as { message: string }).message).toContain('Body Mass (g)');
    expect(out.no_form).toMatchObject({ status: 400, body: { error_code: 'BAD_REQUEST' } });
    expect((out.no_form.body as { message: string }).message).toContain('dataframe_split');
    // A type it does not read is a 415, as on MLflow's server.
    expect(out.bad_csv_type).toMatchObject({ status: 415, body: { error_code: 'BAD_REQUEST' } });
    expect((out.bad_csv_type.body as { message: string }).message).toContain('text/csv');
    const missing = await fetch(`${edge.url}/v1/models/nope/invocations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ instances: ROWS }),
    });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({
      error_code: 'RESOURCE_DOES_NOT_EXIST',
      message: expect.stringContaining('nope'),
    });
  });

  it("reads TF Serving's :predict as curl -d sends it, with Python's NaN", async () => {
    const body = JSON.stringify({ instances: ROWS }).replace('"Beak Length (mm)":null', '"Beak Length (mm)":NaN');
    expect(body).toContain('NaN');
    const res = await fetch(`${edge.url}/v1/models/penguins:predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    expect(res.status).toBe(200);
    const { predictions } = (await res.json()) as { predictions: { label: string }[] };
    expect(predictions.map((p) => p.label)).toEqual(await nativeLabels(ROWS));
  });
});
