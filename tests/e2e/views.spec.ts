/**
 * The app's views against the real Node edge: Data profiles a dropped file and shows a parse error in
 * place; Runs compares two runs; Models publishes a local bundle (asking for the key once);
 * Deployments serves a prediction, draws live telemetry and promotes with a confirmation; Settings
 * tests connections. Bundles come from `flywheel train` (the real CLI) into a temporary folder, and
 * are put into the app's IndexedDB as the notebook would record them.
 */
import { expect, test, type Page } from '@playwright/test';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { strFromU8, unzipSync } from 'fflate';
import { COLD_PROFILE_MS } from '../support/timeouts';

const run = promisify(execFile);
/** The e2e server's admin key (playwright.config.ts sets E2E_DATA, its data folder); overridable to run against another server. */
const ADMIN_KEY_FILE = process.env.FLYWHEEL_E2E_ADMIN_KEY_FILE ?? `${process.env.E2E_DATA!}/admin.key`;
const SHOTS = 'tests/e2e/artifacts';
/** Unique per test run: the edge's data folder outlives a run, and promote needs a fresh champion. */
const MODEL = `views-${Date.now().toString(36)}`;

interface Trained {
  run: Record<string, unknown>;
  model: {
    id: string;
    name: string;
    task: string;
    bundleB64: string;
    metrics: Record<string, number | null>;
    runId: string;
    createdAt: number;
    published: never[];
  };
}

let work: string;
const trained: Trained[] = [];

/** Trains a pipeline with the real CLI and returns the run and local-model records the notebook would store. */
async function train(id: string, model: Record<string, unknown>, startedAt: number): Promise<Trained> {
  const spec = { name: MODEL, data: 'sample:penguins', target: 'Species', model, train: { epochs: 6 } };
  const dir = path.join(work, id);
  const specFile = path.join(work, `${id}.json`);
  await writeFile(specFile, JSON.stringify(spec));
  const { stdout } = await run(
    'node',
    ['cli/bin.js', 'train', specFile, '--out', dir, '--json', '--data-dir', path.join(work, 'cli')],
    { maxBuffer: 1 << 26 },
  );
  const out = JSON.parse(stdout);
  const zip = await readFile(path.join(dir, 'bundle.zip'));
  const manifest = JSON.parse(strFromU8(unzipSync(new Uint8Array(zip))['manifest.json']));
  return {
    run: {
      id,
      name: out.name,
      spec: manifest.spec,
      status: 'succeeded',
      backend: out.lineage.backend,
      metrics: out.metrics,
      details: out.details,
      gates: out.gates,
      history: out.history,
      lineage: out.lineage,
      warnings: out.warnings,
      bundleId: out.bundle,
      startedAt,
      finishedAt: startedAt + 2000,
    },
    model: {
      id: out.bundle,
      name: out.name,
      task: out.task,
      bundleB64: zip.toString('base64'),
      metrics: out.metrics,
      runId: id,
      createdAt: startedAt + 2000,
      published: [],
    },
  };
}

/** Writes runs and models into the app's IndexedDB (opened by the app first), then reloads so the views read them. */
async function seed(page: Page, records: Trained[]): Promise<void> {
  await page.goto('/#/runs');
  await expect(page.getByText('No runs yet')).toBeVisible();
  await page.evaluate(async (recs) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('flywheel');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const tx = db.transaction(['runs', 'models'], 'readwrite');
    for (const { run: r, model } of recs) {
      tx.objectStore('runs').put(r);
      const { bundleB64, ...rest } = model;
      tx.objectStore('models').put({
        ...rest,
        bundle: Uint8Array.from(atob(bundleB64), (c) => c.charCodeAt(0)).buffer,
      });
    }
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  }, records);
  await page.reload();
}

/** A full-page screenshot from the top (the nav is sticky: taken mid-page it would sit mid-image). */
async function shoot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

async function adminKey(): Promise<string> {
  return (await readFile(ADMIN_KEY_FILE, 'utf8')).trim();
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  work = await mkdtemp(path.join(tmpdir(), 'flywheel-views-'));
  const now = Date.now();
  trained.push(await train('a1b2c3d4e5f60001', { type: 'mlp', hidden: [16] }, now - 600_000));
  trained.push(await train('f9e8d7c6b5a40002', { type: 'linear' }, now - 300_000));
});

test.afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

test('Data profiles a dropped CSV and shows the parse error of a malformed one in place', async ({ page }) => {
  await page.goto('/#/data');
  await expect(page.getByTestId('summary')).toContainText('344 rows · 7 columns', { timeout: COLD_PROFILE_MS });
  const rows = Array.from(
    { length: 60 },
    (_, i) =>
      `${i % 3 === 0 ? 'north' : 'south'},${(20 + (i % 11) * 1.5).toFixed(1)},${i % 10 === 0 ? '' : i * 7},s-${i}`,
  );
  const csv = ['region,temperature,sales,id', ...rows].join('\n');
  const drop = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'stores.csv', { type: 'text/csv' }));
    return dt;
  }, csv);
  await page.getByTestId('dropzone').dispatchEvent('drop', { dataTransfer: drop });
  await expect(page.getByTestId('summary')).toContainText('60 rows · 4 columns');
  await expect(page.getByTestId('profile').getByRole('row', { name: /temperature/ })).toContainText('numeric');
  await expect(page.getByRole('img', { name: 'distribution of temperature' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'top categories of region' })).toContainText('south');
  await expect(page.getByTestId('anomalies')).toContainText('60 distinct values in 60 rows: looks like an identifier');
  await expect(page.getByTestId('schema').getByRole('row', { name: /region/ })).toContainText('north, south');
  await expect(page.getByRole('region', { name: 'your saved data' })).toContainText('stores.csv');
  await shoot(page, 'views-data');

  await page
    .getByLabel('data file', { exact: true })
    .setInputFiles({ name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b,c\n1,2,3\n4,5,6,7\n') });
  await expect(page.getByRole('alert')).toHaveText('broken.csv:3: row 2 has 4 fields, the header has 3');
  await expect(page.getByTestId('summary')).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'your saved data' })).not.toContainText('broken.csv');
});

test('Runs compares two runs: overlaid curves, metric deltas by direction, spec diff', async ({ page }) => {
  await seed(page, trained);
  await expect(page.getByTestId('runs').getByRole('row')).toHaveCount(3);
  await page.getByRole('checkbox', { name: /a1b2c3/ }).check();
  await expect(page.getByRole('status').filter({ hasText: 'Select one more' })).toHaveText(
    'Select one more run to compare',
  );
  await page.getByRole('checkbox', { name: /f9e8d7/ }).check();
  const compare = page.getByTestId('compare');
  await expect(
    compare.getByRole('img', { name: 'loss per epoch of the compared runs' }).locator('g[aria-label="line"]'),
  ).toHaveCount(4);
  await expect(compare.locator('figcaption').first()).toContainText(`${MODEL} · a1b2c3 val_loss`);
  const deltas = compare.getByTestId('metric-deltas');
  const [mlp, linear] = trained.map((t) => t.run.metrics as Record<string, number>);
  const logLoss = deltas.getByRole('row', { name: /Log loss/ }).locator('.delta');
  await expect(logLoss).toHaveClass(new RegExp(linear.log_loss < mlp.log_loss ? 'better' : 'worse'));
  await expect(compare.getByTestId('spec-diff').getByRole('row', { name: /model\.type/ })).toContainText('"mlp"');
  await expect(compare.getByTestId('spec-diff').getByRole('row', { name: /model\.type/ })).toContainText('"linear"');
  await shoot(page, 'views-runs-compare');

  await page.getByRole('link', { name: MODEL }).first().click();
  await expect(page.getByTestId('confusion-matrix')).toBeVisible();
  await expect(page.getByTestId('lineage')).toContainText('sample:penguins');
});

test('Models publishes local bundles to this server, asking for the key once', async ({ page }) => {
  await seed(page, trained);
  await page.goto('/#/models');
  const group = page.getByTestId('model-group');
  await expect(group).toContainText(MODEL);
  await expect(group.getByRole('listitem')).toHaveCount(2);

  await page.getByRole('button', { name: `publish ${MODEL} ${trained[0].model.id.slice(0, 12)}` }).click();
  const dialog = page.getByRole('dialog', { name: 'API key for This server' });
  await expect(dialog.getByRole('alert')).toContainText('this needs an API key with the "publish" scope');
  await dialog.getByLabel('API key').fill('not-a-key');
  await dialog.getByRole('button', { name: 'Save key and retry' }).click();
  await expect(dialog.getByRole('alert')).toContainText('The saved key is wrong or revoked');
  await dialog.getByLabel('API key').fill(await adminKey());
  await dialog.getByRole('button', { name: 'Save key and retry' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Published as' })).toContainText(
    `Published as ${MODEL} v1 on This server.`,
  );

  await page.getByRole('button', { name: `publish ${MODEL} ${trained[1].model.id.slice(0, 12)}` }).click();
  await expect(page.getByRole('status').filter({ hasText: `${MODEL} v2` })).toBeVisible();
  await expect(dialog).toHaveCount(0);
  await expect(group.getByRole('link', { name: 'This server v2' })).toBeVisible();
  await page.getByRole('button', { name: `details of ${MODEL} ${trained[0].model.id.slice(0, 12)}` }).click();
  await expect(group).toContainText('Output: Species');
  await shoot(page, 'views-models');

  // The run links forward to where its model is deployed; the deployed version links back to the run.
  await page.goto(`/#/runs/${trained[0].run.id}`);
  await page
    .getByTestId('deployed-link')
    .filter({ hasText: `Deployed as ${MODEL} v1` })
    .click();
  await expect(page).toHaveURL(new RegExp(`#/deployments/${MODEL}$`));
  await page.getByTestId('versions').getByRole('link', { name: 'the run that trained v2' }).click();
  await expect(page).toHaveURL(new RegExp(`#/runs/${trained[1].run.id}$`));
});

test('Deployments: Try it predicts with a curl line, telemetry charts appear, promote asks and moves the champion', async ({
  page,
  request,
}) => {
  await page.goto('/#/deployments');
  await page.getByTestId('edge-models').getByRole('link', { name: MODEL, exact: true }).click();
  await expect(page.getByTestId('versions').getByRole('row', { name: /v1/ })).toContainText('champion');

  const form = page.getByTestId('try-it');
  await form.getByLabel('Island').selectOption('Dream');
  for (let i = 0; i < 5; i++) {
    await form.getByRole('button', { name: 'Send' }).click();
    await expect(page.getByTestId('prediction')).toContainText('"probabilities"');
  }
  await expect(page.getByTestId('prediction')).toContainText('"model_version": 1');
  await expect(page.getByTestId('curl')).toContainText(
    `curl -X POST ${new URL(page.url()).origin}/v1/models/${MODEL}/predict -H 'content-type: application/json' -d '{"instances":[{"Island":"Dream"`,
  );
  // Feedback is never anonymous: a fresh browser is asked for a key once, then the feedback is retried.
  await page.getByRole('button', { name: 'Send feedback' }).click();
  const feedbackKey = page.getByRole('dialog', { name: 'API key for This server' });
  await expect(feedbackKey).toContainText('feedback needs an API key with the "feedback" or "predict" scope');
  await feedbackKey.getByLabel('API key').fill(await adminKey());
  await feedbackKey.getByRole('button', { name: 'Save key and retry' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Recorded' })).toBeVisible();
  await expect(page.getByTestId('traffic-charts')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('traffic-totals')).toContainText(/requests\s*5/);
  await expect(page.getByTestId('online')).toContainText('v1');
  await expect(page.getByTestId('events')).toContainText('published v2');
  await expect(page.getByTestId('drift-summary')).toContainText('Not enough serving data');
  await expect(page.getByRole('img', { name: 'training and serving histograms of Body Mass (g)' })).toBeVisible();
  await shoot(page, 'views-deployments');

  await page.getByRole('button', { name: 'promote v2 to champion' }).click();
  const confirm = page.getByRole('dialog', { name: 'Promote to champion?' });
  await expect(confirm).toContainText(`Champion of ${MODEL} moves from v1 to v2.`);
  await confirm.getByRole('button', { name: 'Promote v2' }).click();
  // The admin key saved when feedback asked for one serves the promote too: nobody is asked twice.
  // The event is written only after the alias moved (the row's "Make champion" button also reads "champion").
  await expect(page.getByTestId('events')).toContainText('champion → v2: promoted in the web app');
  await expect(page.getByTestId('versions').getByRole('row', { name: /v2/ })).toContainText('champion');
  const info = await (await request.get(`/v1/models/${MODEL}`)).json();
  expect(info.aliases.champion).toBe(2);

  await page.getByRole('button', { name: 'Roll back to v1' }).click();
  const rollback = page.getByRole('dialog', { name: 'Roll back the champion?' });
  await expect(rollback).toContainText(`Champion of ${MODEL} moves from v2 to v1.`);
  await rollback.getByRole('button', { name: 'Roll back to v1' }).click();
  await expect(page.getByTestId('versions').getByRole('row', { name: /v1/ })).toContainText('champion');
  await expect(page.getByTestId('events')).toContainText('champion → v1: rolled back in the web app');

  await page.getByLabel('canary weight in percent').fill('20');
  await page.getByRole('button', { name: 'Start canary' }).click();
  await expect(page.getByTestId('rollout')).toContainText('20% of traffic goes to v2');
  expect((await (await request.get(`/v1/models/${MODEL}`)).json()).rollout).toEqual({ challenger: 2, weight: 0.2 });

  await page.setViewportSize({ width: 420, height: 900 });
  await page.waitForTimeout(300);
  await shoot(page, 'views-deployments-narrow');
});

test('Settings tests edges: this server, a wrong key and an unreachable one', async ({ page }) => {
  await page.goto('/#/settings');
  await page.getByRole('button', { name: 'test connection to This server' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Connected' })).toContainText(
    /Connected: Flywheel 0\.1\.0, \d+ models?/,
  );

  await page.getByRole('button', { name: 'edit This server' }).click();
  await page.getByLabel('edge API key').first().fill('wrong-key');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  // The row shows the key once it is saved; a test before that would use the edge without it.
  await expect(page.getByRole('listitem', { name: 'edge This server' })).toContainText('key ••••-key');
  await page.getByRole('button', { name: 'test connection to This server' }).click();
  await expect(page.getByRole('alert')).toContainText(
    'This server refused the request: the API key is unknown or revoked',
  );

  await page.getByLabel('edge name').fill('nowhere');
  await page.getByLabel('edge URL').fill('http://127.0.0.1:9');
  await page.getByRole('button', { name: 'Add edge' }).click();
  await page.getByRole('button', { name: 'test connection to nowhere' }).click();
  await expect(page.getByRole('alert').filter({ hasText: '127.0.0.1:9' })).toContainText(
    'Cannot reach http://127.0.0.1:9: is the edge running',
  );
  await shoot(page, 'views-settings');

  await page.getByRole('radio', { name: /^cpu/ }).check();
  await page.reload();
  await expect(page.getByRole('radio', { name: /^cpu/ })).toBeChecked();

  await page.getByRole('button', { name: 'Clear local data…' }).click();
  await page
    .getByRole('dialog', { name: 'Clear local data?' })
    .getByRole('button', { name: 'Delete everything' })
    .click();
  await expect(page.getByRole('status').filter({ hasText: 'Cleared.' })).toBeVisible();
  await expect(page.getByRole('listitem', { name: 'edge nowhere' })).toHaveCount(0);
});

test('Settings reaches an edge on another origin (CORS)', async ({ page, baseURL }) => {
  // The same server under 127.0.0.1 instead of localhost: another origin to the page, so every call is cross-origin.
  const other = baseURL!.replace('localhost', '127.0.0.1');
  expect(new URL(other).origin).not.toBe(new URL(baseURL!).origin);
  await page.goto('/#/settings');
  await page.getByLabel('edge name').fill('other origin');
  await page.getByLabel('edge URL').fill(other);
  await page.getByRole('button', { name: 'Add edge' }).click();
  await page.getByRole('button', { name: 'test connection to other origin' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Connected' })).toContainText(
    /Connected: Flywheel 0\.1\.0, \d+ models?/,
  );
  await shoot(page, 'views-settings-cross-origin');
});
