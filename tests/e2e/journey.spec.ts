/**
 * The newcomer's journey (issue 7), end to end in one browser page against the server `npm start`
 * runs: open the app, make a notebook, train penguins on WebGPU from its pipeline cell, train a
 * second (linear) model, compare the two runs, publish the first model to this same server, open its
 * deployment, predict through "Try it" and watch the telemetry arrive. Everything goes through the
 * UI; the only shortcut is reading the server's admin key file, which a person would copy from the
 * terminal.
 */
import { readFile } from 'node:fs/promises';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { COLD_PROFILE_MS } from '../support/timeouts';

/** The e2e server's admin key (playwright.config.ts starts it on this data folder). */
/** The e2e server's admin key: playwright.config.ts sets E2E_DATA, the server's data folder. */
const ADMIN_KEY_FILE = `${process.env.E2E_DATA!}/admin.key`;
const SHOTS = 'tests/e2e/artifacts';
/** Unique per test run: the edge's data folder can outlive a run, and publish must create v1. */
const MODEL = `journey-${Date.now().toString(36)}`;
/** Enough epochs for penguins to pass the 0.8 accuracy gate; each one is slow on SwiftShader. */
const MLP_EPOCHS = 15;
/** A linear model learns more per epoch than it costs, so it gets a few more. */
const LINEAR_EPOCHS = 20;
/** A newcomer presses Send a few times. */
const PREDICTIONS = 3;

/** The spec a newcomer ends up with: the default pipeline with a name, fewer epochs and WebGPU forced. */
function spec(model: Record<string, unknown>, epochs: number): string {
  return JSON.stringify(
    {
      name: MODEL,
      data: { source: 'sample:penguins', test: null },
      target: 'Species',
      features: { exclude: [] },
      model,
      train: { epochs, learningRate: 0.01, backend: 'webgpu' },
      gates: [{ metric: 'accuracy', min: 0.8 }],
    },
    null,
    2,
  );
}

/** Replaces a CodeMirror editor's text (insertText: no auto-closed brackets or auto-indent). */
async function setCode(cell: Locator, text: string): Promise<void> {
  await cell.locator('.cm-content').click();
  await cell.page().keyboard.press('ControlOrMeta+a');
  await cell.page().keyboard.insertText(text);
}

function cells(page: Page): Locator {
  return page.getByTestId('cell');
}

/** Types a spec into a pipeline cell's JSON tab, then checks the form shows it. */
async function writeSpec(cell: Locator, text: string, model: string, epochs: number): Promise<void> {
  await cell.getByRole('tab', { name: 'JSON' }).click();
  await setCode(cell, text);
  await expect(cell.locator('.cm-content')).toContainText(`"name": "${MODEL}"`);
  await cell.getByRole('tab', { name: 'Form' }).click();
  await expect(cell.getByLabel('model type')).toHaveValue(model);
  await expect(cell.getByLabel('epochs')).toHaveValue(String(epochs));
  await expect(cell.getByLabel('backend')).toHaveValue('webgpu');
  await expect(cell.getByTestId('spec-problems')).toHaveCount(0);
}

/** What a finished run's report says: its run id, bundle id and numeric headline metrics. */
async function readReport(
  report: Locator,
): Promise<{ runId: string; bundleId: string; metrics: Record<string, number> }> {
  const runHref = await report.getByRole('link', { name: 'Run details' }).getAttribute('href');
  const bundleId = await report.getByRole('link', { name: /^Model / }).getAttribute('title');
  const metrics: Record<string, number> = {};
  for (const m of await report.locator('[data-testid^="metric-"]').all()) {
    const name = (await m.getAttribute('data-testid'))!.slice('metric-'.length);
    metrics[name] = Number(await m.getAttribute('data-value'));
  }
  return { runId: runHref!.replace('#/runs/', ''), bundleId: bundleId!, metrics };
}

/** Clicks a main navigation entry, as a person moves between screens. */
async function navigate(page: Page, label: string): Promise<void> {
  await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: label }).click();
  await expect(page.getByRole('heading', { level: 1, name: label })).toBeVisible();
}

/** The whole page at 1280 wide: the viewport grows to the page, so sticky bars stay where they belong. */
async function screenshotWhole(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: 1280, height });
  await page.screenshot({ path: `${SHOTS}/${name}.png` });
  await page.setViewportSize({ width: 1280, height: 800 });
}

/** A delta as the compare table writes it (metric-deltas.ts formatDelta). */
function deltaText(d: number): string {
  if (Math.abs(d) <= 1e-9) return '±0';
  return `${d > 0 ? '+' : '−'}${Number(Math.abs(d).toPrecision(4))}`;
}

test('a newcomer trains, compares, publishes, deploys and watches a model, all in the browser', async ({ page }) => {
  // WebGPU here is SwiftShader (a CPU emulation of a GPU): two trainings take a minute or two.
  test.setTimeout(480_000);
  page.on('pageerror', (e) => console.log('pageerror:', e.message));

  await test.step('the app opens; New notebook makes one with a pipeline cell on penguins', async () => {
    await page.goto('/');
    await navigate(page, 'Notebooks');
    await expect(page.getByText('No notebooks yet')).toBeVisible();
    await page.getByRole('button', { name: '+ New notebook' }).first().click();
    await expect(page).toHaveURL(/#\/notebooks\/[0-9a-f]{16}$/);
    await expect(cells(page).nth(1)).toHaveAttribute('data-kind', 'pipeline');
    await expect(cells(page).nth(1).getByTestId('columns-status')).toContainText('344 rows · 7 columns', {
      timeout: COLD_PROFILE_MS,
    });
  });

  const pipe = cells(page).nth(1);
  let first!: Awaited<ReturnType<typeof readReport>>;
  await test.step(`the pipeline cell trains an MLP on WebGPU for ${MLP_EPOCHS} epochs and shows its metrics`, async () => {
    await writeSpec(pipe, spec({ type: 'mlp', hidden: [32, 16] }, MLP_EPOCHS), 'mlp', MLP_EPOCHS);
    await pipe.focus();
    await page.keyboard.press('Shift+Enter');
    const live = pipe.getByTestId('live-run');
    await expect(live.getByTestId('progress-label')).toContainText(new RegExp(`Epoch \\d+ / ${MLP_EPOCHS}`), {
      timeout: 90_000,
    });
    await expect(live.getByTestId('backend')).toContainText('webgpu');

    const report = pipe.getByTestId('run-report');
    await expect(report).toBeVisible({ timeout: 240_000 });
    await expect(report).toHaveAttribute('data-status', 'succeeded');
    await expect(report).toContainText(MODEL);
    await expect(report.getByTestId('backend')).toContainText('backend: webgpu');
    await expect(report.getByTestId('confusion-matrix').getByRole('row')).toHaveCount(4);
    await expect(report.getByTestId('gate-report')).toContainText('Gates passed');
    await expect(pipe).toHaveAttribute('data-status', 'ok');
    first = await readReport(report);
    expect(first.metrics.accuracy).toBeGreaterThanOrEqual(0.8);
    expect(first.metrics.log_loss).toBeGreaterThan(0);
    await expect(report.getByTestId('metric-accuracy')).toContainText('Accuracy');
  });

  let second!: Awaited<ReturnType<typeof readReport>>;
  await test.step('a second pipeline cell trains a linear model: a second run', async () => {
    await page.getByRole('button', { name: '+ Pipeline' }).click();
    const linear = cells(page).nth(3);
    await expect(linear).toHaveAttribute('data-kind', 'pipeline');
    await writeSpec(linear, spec({ type: 'linear' }, LINEAR_EPOCHS), 'linear', LINEAR_EPOCHS);
    await expect(linear.getByLabel('hidden layers')).toBeDisabled();
    await linear.getByLabel('run cell').click();
    const report = linear.getByTestId('run-report');
    await expect(report).toBeVisible({ timeout: 240_000 });
    await expect(report).toHaveAttribute('data-status', 'succeeded');
    await expect(report.getByTestId('backend')).toContainText('backend: webgpu');
    second = await readReport(report);
    expect(second.runId).not.toBe(first.runId);
    expect(second.bundleId).not.toBe(first.bundleId);
    expect(second.metrics.accuracy).toBeGreaterThanOrEqual(0.8);
    await expect(page.getByTestId('save-state')).toHaveAttribute('data-state', 'saved');
    await screenshotWhole(page, 'journey-notebook');
  });

  await test.step('Runs lists both; ticking both compares their curves and metric deltas', async () => {
    await navigate(page, 'Runs');
    await expect(page.getByTestId('runs').getByRole('row')).toHaveCount(3);
    await page.getByRole('checkbox', { name: `compare ${MODEL} (${first.runId.slice(0, 6)})` }).check();
    await expect(page.getByRole('status').filter({ hasText: 'Select one more' })).toBeVisible();
    await page.getByRole('checkbox', { name: `compare ${MODEL} (${second.runId.slice(0, 6)})` }).check();
    const compare = page.getByTestId('compare');
    await expect(compare.getByRole('heading', { name: 'Comparing 2 runs' })).toBeVisible();
    // Two runs × (training + validation) loss lines.
    await expect(
      compare.getByRole('img', { name: 'loss per epoch of the compared runs' }).locator('g[aria-label="line"]'),
    ).toHaveCount(4);
    await expect(compare.getByRole('img', { name: 'accuracy per epoch of the compared runs' })).toBeVisible();
    // The first ticked run is the base; the linear run's deltas are against it, judged by direction.
    const deltas = compare.getByTestId('metric-deltas');
    for (const [label, metric, higherIsBetter] of [
      ['Accuracy', 'accuracy', true],
      ['Log loss', 'log_loss', false],
    ] as const) {
      const d = second.metrics[metric] - first.metrics[metric];
      const delta = deltas.getByRole('row', { name: new RegExp(`^${label}`) }).locator('.delta');
      await expect(delta).toHaveText(deltaText(d));
      const verdict = Math.abs(d) <= 1e-9 ? 'same' : d > 0 === higherIsBetter ? 'better' : 'worse';
      await expect(delta).toHaveClass(new RegExp(`\\b${verdict}\\b`));
    }
    await expect(compare.getByTestId('spec-diff').getByRole('row', { name: /model\.type/ })).toContainText('"linear"');
    await screenshotWhole(page, 'journey-runs-compare');
  });

  await test.step('Models publishes the first model to this server, asking for the admin key', async () => {
    await navigate(page, 'Models');
    const group = page.getByRole('region', { name: `model ${MODEL}` });
    await expect(group.getByRole('listitem')).toHaveCount(2);
    const item = group.getByRole('listitem').filter({ has: page.locator(`a[href="#/runs/${first.runId}"]`) });
    await expect(item).toContainText(first.bundleId.slice(0, 12));
    await item.getByRole('button', { name: `publish ${MODEL} ${first.bundleId.slice(0, 12)}` }).click();
    const dialog = page.getByRole('dialog', { name: 'API key for This server' });
    await expect(dialog.getByRole('alert')).toContainText('"publish" scope');
    await dialog.getByLabel('API key').fill((await readFile(ADMIN_KEY_FILE, 'utf8')).trim());
    await dialog.getByRole('button', { name: 'Save key and retry' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(item.getByRole('status')).toContainText(`Published as ${MODEL} v1 on This server.`);
    await expect(item.getByRole('link', { name: 'This server v1' })).toBeVisible();
    await screenshotWhole(page, 'journey-models');
  });

  await test.step('Deployments: the model is served; Try it predicts and shows the curl line; telemetry arrives', async () => {
    await navigate(page, 'Deployments');
    const row = page.getByTestId('edge-models').getByRole('row', { name: new RegExp(MODEL) });
    await expect(row).toContainText('v1');
    await row.getByRole('link', { name: MODEL, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`#/deployments/${MODEL}$`));
    await expect(page.getByTestId('versions').getByRole('row', { name: /v1/ })).toContainText('champion');

    const form = page.getByTestId('try-it');
    await form.getByLabel('Island').selectOption('Biscoe');
    for (let i = 0; i < PREDICTIONS; i++) {
      await form.getByRole('button', { name: 'Send' }).click();
      await expect(page.getByTestId('prediction')).toContainText('"probabilities"');
    }
    await expect(page.getByTestId('prediction')).toContainText('"model_version": 1');
    await expect(page.getByTestId('prediction')).toContainText(/"label": "(Adelie|Chinstrap|Gentoo)/);
    const origin = new URL(page.url()).origin;
    await expect(page.getByTestId('curl')).toContainText(
      `curl -X POST ${origin}/v1/models/${MODEL}/predict -H 'content-type: application/json' -d '{"instances":[{"Island":"Biscoe"`,
    );

    // The page polls every few seconds; the edge's telemetry then holds the predictions just sent.
    await expect(page.getByTestId('traffic-charts')).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId('traffic-totals')).toContainText(new RegExp(`requests\\s*${PREDICTIONS}\\b`), {
      timeout: 20_000,
    });
    await expect(page.getByRole('img', { name: 'requests per second per version' })).toBeVisible();
    await screenshotWhole(page, 'journey-deployments');
  });
});
