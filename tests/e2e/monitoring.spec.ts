/**
 * Monitoring that explains itself, against the real Node edge (`npm start`'s server and its 5 s
 * automation tick): shifted serving traffic shows as drift cards that overlay serving on training with
 * out-of-range and unseen-category counts, per version; the drift trigger's retrain cycle (job,
 * published version, refused verification) reads as one timeline card; the refused version carries a
 * badge and promoting it asks first; and the canary's weight 0 reads "End canary".
 * Bundles come from `flywheel train` (the real CLI); the retrain job is claimed and completed over HTTP.
 */
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const SHOTS = 'tests/e2e/artifacts';
const MODEL = `monitoring-${Date.now().toString(36)}`;
const PENGUIN = {
  Island: 'Biscoe',
  'Beak Length (mm)': 47.5,
  'Beak Depth (mm)': 14.2,
  'Flipper Length (mm)': 215,
  'Body Mass (g)': 5300,
  Sex: 'MALE',
};
/** Far outside training: an island training never saw, body masses far above its range. */
const SHIFTED = (i: number) => ({
  ...PENGUIN,
  Island: 'Atlantis',
  'Body Mass (g)': 20_000 + i,
  'Flipper Length (mm)': 400 + (i % 7),
});

function bundle(epochs: number): Buffer {
  const out = mkdtempSync(path.join(tmpdir(), 'flywheel-monitoring-'));
  execFileSync(
    'node',
    [
      'cli/bin.js',
      'train',
      '--data',
      'sample:penguins',
      '--target',
      'Species',
      '--model',
      'mlp',
      '--epochs',
      String(epochs),
      '--backend',
      'cpu',
      '--out',
      out,
    ],
    { stdio: 'ignore' },
  );
  return readFileSync(path.join(out, 'bundle.zip'));
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

async function predict(request: APIRequestContext, rows: object[], routingKey?: string): Promise<number> {
  const res = await request.post(`/v1/models/${MODEL}/predict`, {
    data: { instances: rows },
    headers: routingKey ? { 'x-routing-key': routingKey } : {},
  });
  expect(res.status()).toBe(200);
  return (await res.json()).model_version;
}

test('drift cards, the retrain cycle, the refused badge and the canary explain themselves', async ({
  page,
  request,
}) => {
  test.setTimeout(240_000);
  const key = readFileSync(path.join(process.env.E2E_DATA!, 'admin.key'), 'utf8').trim();
  const auth = { authorization: `Bearer ${key}` };
  const [first, second] = [bundle(8), bundle(3)];
  expect(
    (
      await request.post(`/v1/models/${MODEL}/versions`, {
        data: first,
        headers: { ...auth, 'content-type': 'application/zip' },
      })
    ).status(),
  ).toBe(201);
  // Drift of 30% of the features triggers a retrain; the gate asks the impossible, so verification refuses.
  const policy = {
    triggers: { driftShare: 0.3 },
    gates: [{ metric: 'accuracy', vsChampion: { minDelta: 0.9 } }],
    rollout: { steps: [0.5, 1], minRequests: 1000, minDuration: '1h' },
  };
  expect((await request.put(`/v1/models/${MODEL}/policy`, { data: policy, headers: auth })).status()).toBe(200);
  for (let i = 0; i < 4; i++)
    await predict(
      request,
      Array.from({ length: 25 }, (_, j) => SHIFTED(i * 25 + j)),
    );

  // The edge's tick sees the drift and queues a job; a runner (this test, over HTTP) claims it and publishes v2.
  let job: { id: string } | null = null;
  await expect
    .poll(
      async () => {
        const res = await request.post('/v1/jobs/claim', {
          data: { runner: 'e2e-runner', models: [MODEL] },
          headers: auth,
        });
        job = res.status() === 200 ? await res.json() : null;
        return job?.id ?? null;
      },
      { timeout: 30_000, intervals: [1000] },
    )
    .not.toBeNull();
  expect(
    (
      await request.post(`/v1/models/${MODEL}/versions`, {
        data: second,
        headers: { ...auth, 'content-type': 'application/zip' },
      })
    ).status(),
  ).toBe(201);
  expect(
    (
      await request.post(`/v1/jobs/${job!.id}/complete`, {
        data: { runner: 'e2e-runner', status: 'succeeded', version: 2 },
        headers: auth,
      })
    ).status(),
  ).toBe(200);
  await expect
    .poll(
      async () =>
        (await (await request.get(`/v1/models/${MODEL}/events`)).json()).events.some(
          (e: { type: string }) => e.type === 'verify',
        ),
      { timeout: 30_000, intervals: [1000] },
    )
    .toBe(true);

  // An admin runs v2 as a canary anyway; some traffic reaches it.
  expect(
    (
      await request.put(`/v1/models/${MODEL}/rollout`, { data: { challenger: 2, weight: 0.5 }, headers: auth })
    ).status(),
  ).toBe(200);
  let toCanary = 0;
  for (let i = 0; toCanary < 3 && i < 60; i++)
    if ((await predict(request, [SHIFTED(i)], `user-${i}`)) === 2) toCanary++;
  expect(toCanary).toBe(3);

  await page.goto(`/#/deployments`);
  await page.getByTestId('edge-models').getByRole('link', { name: MODEL, exact: true }).click();

  // Drift: both distributions, and what training never saw, counted.
  await expect(page.getByTestId('drift-summary')).toContainText('Dataset drift');
  await expect(page.getByRole('img', { name: 'training and serving histograms of Body Mass (g)' })).toBeVisible();
  const mass = page.getByRole('article', { name: 'drift of Body Mass (g)' });
  await expect(mass.getByTestId('out-of-range')).toContainText(/0 below and 1\d\d above the training range/);
  const island = page.getByRole('article', { name: 'drift of Island' });
  await expect(island.getByRole('list', { name: 'training and serving categories of Island' })).toContainText('Biscoe');
  await expect(island.getByTestId('unseen')).toContainText(
    /1\d\d serving values in categories training never saw: Atlantis/,
  );
  await expect(island.locator('li[data-category="Atlantis"]')).toContainText('new');
  // The canary's own window.
  await page.getByRole('radio', { name: 'v2 · canary' }).click();
  await expect(page.getByTestId('drift-summary')).toContainText('v2');
  await expect(page.getByRole('article', { name: 'drift of Island' }).getByTestId('unseen')).toContainText(
    '3 serving values in categories training never saw: Atlantis',
  );
  await page.getByRole('radio', { name: 'v1 · champion' }).click();

  // One timeline: the drift trigger's cycle links its job, the version it published and the refusal.
  const cycle = page.getByTestId('cycle').first();
  await expect(cycle).toHaveAttribute('data-outcome', 'refused');
  const chain = cycle.getByRole('navigation', { name: 'steps of this cycle' });
  await expect(chain).toContainText(`job ${job!.id}`);
  await expect(chain).toContainText('published v2');
  await expect(cycle).toContainText('features drifted');
  await chain.getByRole('button', { name: 'verification refused' }).click();
  await expect(cycle.locator('li:focus')).toContainText('v2 refused at verification');
  await cycle.getByText('verification report').click();
  await expect(cycle.locator('.checks')).toBeVisible();
  await expect(page.getByText('The loop', { exact: true })).toHaveCount(0);

  // The refused version carries a badge; making it champion asks, and says why it was refused.
  const v2 = page.getByTestId('versions').getByRole('row', { name: /v2/ });
  await expect(v2.getByTestId('refused')).toHaveText('refused');
  await page.getByRole('button', { name: 'promote v2 to champion' }).click();
  const confirm = page.getByRole('dialog', { name: 'Promote to champion?' });
  await expect(confirm.getByTestId('refused-warning')).toContainText('v2 was refused by the automation');
  await expect(confirm.getByRole('button', { name: 'Promote v2 anyway' })).toBeVisible();
  await shoot(page, 'monitoring-deployment');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toHaveCount(0);

  // Canary: weight 0 reads as ending it, and ends it.
  await expect(page.getByTestId('canary-apply')).toHaveText('Update canary');
  await page.getByLabel('canary weight in percent').fill('0');
  await expect(page.getByTestId('canary-apply')).toHaveText('End canary');
  await expect(page.getByText('Weight 0 ends the canary')).toBeVisible();
  await page.setViewportSize({ width: 420, height: 900 });
  await shoot(page, 'monitoring-deployment-narrow');
  await page.getByTestId('canary-apply').click();
  const keyDialog = page.getByRole('dialog', { name: 'API key for This server' });
  await keyDialog.getByLabel('API key').fill(key);
  await keyDialog.getByRole('button', { name: 'Save key and retry' }).click();
  await expect(page.getByTestId('rollout')).toContainText('No canary');
  expect((await (await request.get(`/v1/models/${MODEL}`)).json()).rollout).toBeNull();
  await expect(page.getByTestId('events')).toContainText('canary ended in the web app');
});
