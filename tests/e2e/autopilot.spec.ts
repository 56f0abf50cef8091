import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const PENGUIN = {
  Island: 'Biscoe',
  'Beak Length (mm)': 47.5,
  'Beak Depth (mm)': 14.2,
  'Flipper Length (mm)': 215,
  'Body Mass (g)': 5300,
  Sex: 'MALE',
};

/**
 * The automated loop through the browser's Autopilot: the edge (npm start's server, its real 5 s tick)
 * triggers a retrain, the pipeline worker in the page claims and runs the job, and the edge verifies,
 * rolls out and promotes the challenger.
 */
test('the Autopilot in the page runs the retrain the edge asked for, and the challenger is promoted', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const key = readFileSync(path.join(process.env.E2E_DATA!, 'admin.key'), 'utf8').trim();
  const out = mkdtempSync(path.join(tmpdir(), 'flywheel-autopilot-'));
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
      '20',
      '--backend',
      'cpu',
      '--out',
      out,
    ],
    { stdio: 'ignore' },
  );
  const model = `auto-${Date.now()}`;
  const auth = { authorization: `Bearer ${key}` };
  const publish = await page.request.post(`/v1/models/${model}/versions`, {
    data: readFileSync(path.join(out, 'bundle.zip')),
    headers: { ...auth, 'content-type': 'application/zip' },
  });
  expect(publish.status()).toBe(201);
  const policy = {
    triggers: { newFeedback: 20 },
    gates: [{ metric: 'accuracy', vsChampion: { minDelta: -0.1 } }],
    rollout: {
      steps: [1],
      minRequests: 5,
      minDuration: '1s',
      guardrails: { maxErrorRateDelta: 0.5, maxP95Ratio: 50, minOnlineMetricDelta: -1 },
    },
  };
  expect((await page.request.put(`/v1/models/${model}/policy`, { data: policy, headers: auth })).status()).toBe(200);
  const items = [];
  for (let i = 0; i < 40; i++) {
    const res = await (
      await page.request.post(`/v1/models/${model}/predict`, { data: { instances: [PENGUIN] } })
    ).json();
    items.push({ request_id: res.request_ids[0], label: 'Gentoo' });
  }
  expect((await page.request.post(`/v1/models/${model}/feedback`, { data: { items }, headers: auth })).status()).toBe(
    200,
  );

  await page.goto('/lab.html');
  await expect(page.locator('#backends[data-ready="true"]')).toBeAttached({ timeout: 60_000 });
  // The edge's tick queues the job within a few seconds; the page's Autopilot claims and runs it.
  const outcome = await page.evaluate(`(async () => {
    for (let i = 0; i < 30; i++) {
      const done = await window.lab.pipeline.autopilot({ edge: location.origin, key: ${JSON.stringify(key)}, runner: 'browser-autopilot' }, () => {});
      if (done) return done;
      await new Promise((r) => setTimeout(r, 1000));
    }
    return null;
  })()`);
  expect(outcome).toMatchObject({ status: 'succeeded', version: 2 });
  // What the edge last said, for the failure message: a slow run must say which step it was stuck at.
  let seen = '';
  try {
    await expect
      .poll(
        async () => {
          await page.request.post(`/v1/models/${model}/predict`, {
            data: { instances: [PENGUIN] },
            headers: { 'x-routing-key': `k${Math.random()}` },
          });
          const info = await (await page.request.get(`/v1/models/${model}`)).json();
          const recent = (await (await page.request.get(`/v1/models/${model}/events`)).json()).events
            .slice(0, 3)
            .map((e: { type: string; reason: string }) => `${e.type}: ${e.reason}`);
          seen = JSON.stringify({ aliases: info.aliases, rollout: info.rollout, recent });
          return info.aliases.champion;
        },
        { timeout: 90_000, intervals: [1000] },
      )
      .toBe(2);
  } catch (e) {
    throw new Error(`${(e as Error).message}\nlast seen: ${seen}`);
  }
  const events = (await (await page.request.get(`/v1/models/${model}/events`)).json()).events
    .map((e: { type: string }) => e.type)
    .reverse();
  expect(events).toEqual(expect.arrayContaining(['trigger', 'job_claimed', 'job_done', 'verify', 'promote']));
});
