/**
 * The app as a newcomer gets it: a fresh browser profile, nothing forced (backend `auto`, the new
 * notebook's own pipeline), the only setting the edge key typed into Settings. Trains from a new
 * notebook, publishes, predicts with edited values, sets an automation policy in its form, turns
 * the Autopilot on and off and reloads. Any page error or console error fails it, and so does a
 * runaway loop of requests.
 *
 * Settings other specs force, and where their default is covered here:
 * - Chromium's WebGPU flags (playwright.config.ts, every spec): the journey runs in Chromium without
 *   them, as Debian's Chromium starts; defaults-webgpu.spec.ts keeps them, so `auto` meets WebGPU from a cold start.
 * - `train.backend` forced in a spec (journey, notebook, workers, CLI `--backend cpu`): left at `auto` here.
 * - The Settings default backend (views: cpu): left at `auto` here.
 * - Runs and models written straight into IndexedDB (views): here they come from the notebook.
 */
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { guard, navigate, newNotebook } from './default-guard';

const ADMIN_KEY_FILE = `${process.env.E2E_DATA!}/admin.key`;
const SHOTS = 'tests/e2e/artifacts';
/** Chromium as Debian ships it, headless in a container: navigator.gpu is there, but it offers no adapter. */
const PLAIN_CHROMIUM = [
  '--headless=new',
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

test.use({ launchOptions: { executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: PLAIN_CHROMIUM } });

test('a newcomer trains, publishes, predicts, automates and reloads with every default', async ({ page }) => {
  test.setTimeout(420_000);
  const watch = guard(page);
  const key = (await readFile(ADMIN_KEY_FILE, 'utf8')).trim();

  let model = '';
  // The notebook first, as a newcomer starts: nothing has probed the backends before this run.
  await test.step('a new notebook trains its own pipeline on the auto backend', async () => {
    await page.goto('/');
    const pipe = await newNotebook(page);
    await page.getByRole('button', { name: 'Run all' }).click();
    const report = pipe.getByTestId('run-report');
    await expect(report).toBeVisible({ timeout: 240_000 });
    await expect(report).toHaveAttribute('data-status', 'succeeded');
    await expect(report.getByTestId('backend')).toContainText('auto measured');
    await expect(report.getByTestId('gate-report')).toContainText('Gates passed');
    await page.screenshot({ path: `${SHOTS}/defaults-notebook.png`, fullPage: true });
  });

  await test.step('the key goes into Settings, the one thing a newcomer sets, still on auto', async () => {
    await navigate(page, 'Settings');
    await expect(page.getByRole('radio', { name: /^auto/ })).toBeChecked();
    await page.getByRole('button', { name: 'edit This server' }).click();
    await page.getByLabel('edge API key').first().fill(key);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByRole('listitem', { name: 'edge This server' })).toContainText(`key ••••${key.slice(-4)}`);
  });

  await test.step('Models publishes it to this server with the key from Settings', async () => {
    await navigate(page, 'Models');
    const group = page.getByTestId('model-group');
    await expect(group).toHaveCount(1);
    model = (await group.getAttribute('aria-label'))!.replace(/^model /, '');
    await group.getByRole('button', { name: /^publish / }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(group.getByRole('status')).toContainText(`Published as ${model} v`);
  });

  await test.step('Try it predicts with edited numeric and categorical values', async () => {
    await navigate(page, 'Deployments');
    await page.getByTestId('edge-models').getByRole('link', { name: model, exact: true }).click();
    const form = page.getByTestId('try-it');
    await form.getByLabel('Body Mass (g)').fill('5300');
    await form.getByLabel('Flipper Length (mm)').fill('');
    await form.getByLabel('Island').selectOption('Dream');
    await form.getByRole('button', { name: 'Send' }).click();
    await expect(page.getByTestId('prediction')).toContainText('"probabilities"');
    await expect(page.getByTestId('curl')).toContainText('"Island":"Dream"');
    await expect(page.getByTestId('curl')).toContainText('"Body Mass (g)":5300');
    await expect(page.getByTestId('curl')).toContainText('"Flipper Length (mm)":null');
    await expect(form.getByRole('alert')).toHaveCount(0);
  });

  await test.step('the policy form explains each field, says what is wrong in place, and saves', async () => {
    const policy = page.getByRole('form', { name: 'automation policy' });
    await expect(policy.getByLabel('Drift share')).toHaveAccessibleDescription(/share of the input features drift/);
    await policy.getByLabel('Drift share').fill('2');
    await policy.getByLabel('Drift share').press('Tab');
    await expect(policy.getByRole('alert')).toContainText('expected number to be <=1');
    await expect(policy.getByLabel('Drift share')).toHaveAttribute('aria-invalid', 'true');
    await policy.getByLabel('Drift share').fill('0.3');
    await policy.getByLabel('Drift share').press('Tab');
    await policy.getByLabel('New labelled rows').fill('50');
    await policy.getByLabel('New labelled rows').press('Tab');
    await policy.getByLabel('Traffic steps (%)').fill('20, 100');
    await policy.getByLabel('Traffic steps (%)').press('Tab');
    await expect(policy.getByRole('alert')).toHaveCount(0);
    await page.getByRole('button', { name: 'Set policy' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Policy saved.' })).toBeVisible();
    const info = await (await page.request.get(`/v1/models/${model}`)).json();
    expect(info.policy).toMatchObject({ triggers: { driftShare: 0.3, newFeedback: 50 }, rollout: { steps: [0.2, 1] } });
    await page.getByRole('tab', { name: 'JSON' }).click();
    await expect(page.getByLabel('automation policy (JSON)')).toHaveValue(/"newFeedback": 50/);
    await page.getByRole('tab', { name: 'Form' }).click();
  });

  const toggle = page.getByRole('checkbox', { name: new RegExp(`Run ${model}'s retrain jobs in this tab`) });
  await test.step('Autopilot on polls for jobs a few seconds apart; off stops it', async () => {
    await toggle.check();
    await expect(toggle).toBeChecked();
    await expect.poll(() => watch.count('POST /v1/jobs/claim'), { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
    // Three claims took seconds, not a burst: no error so far, and no endpoint running away.
    watch.check();
    await expect(page.locator('.log')).toContainText(`Autopilot on for ${model}`);
    await toggle.uncheck();
    await expect(toggle).not.toBeChecked();
    await expect(page.locator('.log')).toContainText(`Autopilot off for ${model}`);
    await toggle.check();
    await expect(toggle).toBeChecked();
  });

  await test.step('a reload keeps the Autopilot on, and it claims again', async () => {
    const before = watch.count('POST /v1/jobs/claim');
    await page.reload();
    await expect(toggle).toBeChecked();
    await expect(page.locator('.log')).toContainText(`Autopilot resumed for ${model}`);
    await expect.poll(() => watch.count('POST /v1/jobs/claim'), { timeout: 30_000 }).toBeGreaterThan(before);
    await page.screenshot({ path: `${SHOTS}/defaults-deployment.png`, fullPage: true });
    await toggle.uncheck();
    await page.reload();
    await expect(toggle).not.toBeChecked();
  });

  watch.check();
});
