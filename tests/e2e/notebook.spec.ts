import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { COLD_PROFILE_MS } from '../support/timeouts';

/**
 * The notebook end to end, in real Chromium against the built app: a new notebook trains penguins on
 * WebGPU (SwiftShader here) from its pipeline cell, a second pipeline lets `auto` measure backends,
 * code cells use the core API and draw a chart and a table, editing a cell makes its dependents stale,
 * Interrupt stops an infinite loop, `.ipynb` export → import keeps every cell and output, and a reload
 * keeps everything.
 */

const ARTIFACTS = 'tests/e2e/artifacts';

/** Replaces a CodeMirror cell's text (insertText: no auto-closed brackets or auto-indent). */
async function setCode(cell: Locator, text: string): Promise<void> {
  await cell.locator('.cm-content').click();
  await cell.page().keyboard.press('ControlOrMeta+a');
  await cell.page().keyboard.insertText(text);
}

function cells(page: Page): Locator {
  return page.getByTestId('cell');
}

/** Adds a code cell at the end with this text and returns it. */
async function addCode(page: Page, text: string): Promise<Locator> {
  const before = await cells(page).count();
  await page.getByRole('button', { name: '+ Code' }).click();
  const cell = cells(page).nth(before);
  await setCode(cell, text);
  return cell;
}

async function runWithKeys(cell: Locator): Promise<void> {
  await cell.locator('.cm-content').click();
  await cell.page().keyboard.press('Control+Enter');
}

/** Counts rows of an object store of the app's IndexedDB (Dexie's "flywheel" database). */
async function storeCount(page: Page, store: string): Promise<number> {
  return page.evaluate(
    (name) =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('flywheel');
        open.onsuccess = () => {
          const req = open.result.transaction(name).objectStore(name).count();
          req.onsuccess = () => {
            resolve(req.result);
            open.result.close();
          };
          req.onerror = () => reject(req.error);
        };
        open.onerror = () => reject(open.error);
      }),
    store,
  );
}

async function saved(page: Page): Promise<void> {
  await expect(page.getByTestId('save-state')).toHaveAttribute('data-state', 'saved');
}

/** The whole page at 1280 wide: the viewport grows to the page, so sticky bars stay where they belong. */
async function screenshotWhole(page: Page, path: string): Promise<void> {
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: 1280, height });
  await page.screenshot({ path });
  await page.setViewportSize({ width: 1280, height: 800 });
}

/** What export writes, as parsed JSON. */
async function exportIpynb(
  page: Page,
  path: string,
): Promise<{
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: {
    id: string;
    cell_type: string;
    source: string[];
    metadata: { flywheel?: { kind?: string } };
    outputs?: { output_type: string; data?: Record<string, unknown>; ename?: string }[];
  }[];
}> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-ipynb').click()]);
  await download.saveAs(path);
  return JSON.parse(readFileSync(path, 'utf8'));
}

test('a notebook trains, runs code, tracks staleness, interrupts, round-trips .ipynb and survives a reload', async ({
  page,
}) => {
  // WebGPU here is SwiftShader (a CPU emulation of a GPU): 25 epochs of penguins take ~40 s.
  test.setTimeout(300_000);
  page.on('pageerror', (e) => console.log('pageerror:', e.message));

  await test.step('the list starts empty; New notebook opens one with an intro and a pipeline cell', async () => {
    await page.goto('/#/notebooks');
    await expect(page.getByText('No notebooks yet')).toBeVisible();
    await page.getByRole('button', { name: '+ New notebook' }).first().click();
    await expect(page).toHaveURL(/#\/notebooks\/[0-9a-f]{16}$/);
    await expect(cells(page)).toHaveCount(3);
    await expect(cells(page).nth(0)).toHaveAttribute('data-kind', 'markdown');
    await expect(cells(page).nth(0).getByTestId('markdown-rendered')).toContainText('Welcome to your notebook');
    await expect(cells(page).nth(1)).toHaveAttribute('data-kind', 'pipeline');
  });

  const pipe = cells(page).nth(1);
  await test.step('the pipeline cell trains penguins on WebGPU with live progress', async () => {
    await expect(pipe.getByTestId('columns-status')).toContainText('344 rows · 7 columns', {
      timeout: COLD_PROFILE_MS,
    });
    await expect(pipe.getByLabel('target column')).toHaveValue('Species');
    await pipe.getByLabel('epochs').fill('25');
    await pipe.getByLabel('epochs').press('Tab');
    await pipe.getByLabel('backend').selectOption('webgpu');
    // The form and the JSON view edit the same spec.
    await pipe.getByRole('tab', { name: 'JSON' }).click();
    await expect(pipe.locator('.cm-content')).toContainText('"epochs": 25');
    await expect(pipe.locator('.cm-content')).toContainText('"backend": "webgpu"');
    await pipe.getByRole('tab', { name: 'Form' }).click();

    await pipe.focus();
    await page.keyboard.press('Shift+Enter');
    const live = pipe.getByTestId('live-run');
    await expect(live).toBeVisible();
    await expect(live.getByRole('progressbar')).toBeVisible({ timeout: 60_000 });
    await expect(live.getByTestId('progress-label')).toContainText(/Searching models|Epoch \d+ \/ 25/);
    // The loss curve fills in once an epoch ends: live, or in the report if the run ended first (the
    // search takes most of the 60 s budget, and SwiftShader's WebGPU is slow on a busy machine).
    await expect(pipe.getByTestId('curve-loss').first()).toHaveAttribute('data-points', /^[1-9]/, {
      timeout: 150_000,
    });
    await expect(pipe.getByTestId('backend').first()).toContainText('webgpu');

    const report = pipe.getByTestId('run-report');
    await expect(report).toBeVisible({ timeout: 240_000 });
    await expect(report).toHaveAttribute('data-status', 'succeeded');
    expect(Number(await report.getByTestId('metric-accuracy').getAttribute('data-value'))).toBeGreaterThanOrEqual(0.9);
    await expect(report.getByTestId('backend')).toContainText('backend: webgpu');
    await expect(report.getByTestId('confusion-matrix').getByRole('row')).toHaveCount(4);
    await expect(report.getByTestId('gate-report')).toContainText('Gates passed');
    await expect(pipe.getByTestId('exec-count')).toHaveText('[1]');
    await expect(pipe).toHaveAttribute('data-status', 'ok');
    expect(await storeCount(page, 'runs')).toBe(1);
    expect(await storeCount(page, 'models')).toBe(1);
  });

  await test.step('a second pipeline (linear, auto backend) measures the backends and records a second run', async () => {
    await page.getByRole('button', { name: '+ Pipeline' }).click();
    const linear = cells(page).nth(3);
    await expect(linear).toHaveAttribute('data-kind', 'pipeline');
    await linear.getByLabel('model type').selectOption('linear');
    await expect(linear.getByLabel('hidden layers')).toBeDisabled();
    // A linear model has no hidden layers: the field is empty, not the MLP's default greyed out.
    await expect(linear.getByLabel('hidden layers')).toHaveValue('');
    await linear.getByLabel('epochs').fill('30');
    await linear.getByLabel('epochs').press('Tab');
    await linear.getByLabel('run cell').click();
    const report = linear.getByTestId('run-report');
    await expect(report).toBeVisible({ timeout: 120_000 });
    expect(Number(await report.getByTestId('metric-accuracy').getAttribute('data-value'))).toBeGreaterThanOrEqual(0.9);
    // auto tried every backend on this model and kept the fastest.
    await expect(report.getByTestId('backend')).toContainText('auto measured');
    await expect(report.getByTestId('backend')).toContainText('webgpu');
    await expect(linear.getByTestId('exec-count')).toHaveText('[2]');
    expect(await storeCount(page, 'runs')).toBe(2);
  });

  await test.step('an invalid field is refused in place, under the field, and the cell cannot run', async () => {
    const linear = cells(page).nth(3);
    await linear.getByLabel('epochs').fill('0');
    await linear.getByLabel('epochs').press('Tab');
    await expect(linear.getByTestId('field-error')).toContainText('epochs must be a whole number of at least 1');
    await expect(linear.getByLabel('epochs')).toHaveValue('0');
    await expect(linear.getByLabel('run cell')).toBeDisabled();
    // A valid value is written to the spec (which makes the trained cell stale).
    await linear.getByLabel('epochs').fill('25');
    await linear.getByLabel('epochs').press('Tab');
    await expect(linear.getByTestId('field-error')).toHaveCount(0);
    await expect(linear.getByLabel('run cell')).toBeEnabled();
  });

  const code = cells(page).nth(2);
  let chartCell: Locator;
  let tableCell: Locator;
  await test.step('code cells use the core API: a value, a chart, a paged sortable table, an error with its line', async () => {
    await setCode(code, "const t = await load('sample:penguins');\nt.rowCount");
    await runWithKeys(code);
    await expect(code).toHaveAttribute('data-status', 'ok');
    await expect(code.getByTestId('text-output')).toHaveText('344');

    chartCell = await addCode(
      page,
      "const rows = flywheel.toRows(t);\ndisplay({ mark: 'dot', data: rows, x: 'Flipper Length (mm)', y: 'Body Mass (g)', z: 'Species' });",
    );
    await runWithKeys(chartCell);
    await expect(chartCell.getByTestId('chart-output').locator('svg').first()).toBeVisible();
    expect(await chartCell.getByTestId('chart-output').locator('circle').count()).toBeGreaterThan(300);

    tableCell = await addCode(page, 't');
    await runWithKeys(tableCell);
    const table = tableCell.getByTestId('table-output');
    await expect(table.getByTestId('page')).toHaveText('Page 1 / 18');
    await expect(table.locator('tbody tr')).toHaveCount(20);
    await table.getByRole('button', { name: 'Body Mass (g)' }).click();
    await table.getByRole('button', { name: 'Body Mass (g)' }).click();
    await expect(table.locator('th[aria-sort=descending]')).toHaveCount(1);
    const column = await table.locator('thead th').allTextContents();
    const mass = column.findIndex((c) => c.includes('Body Mass'));
    await expect(table.locator('tbody tr').first().locator('td').nth(mass)).toHaveText('6300');
    await table.getByRole('button', { name: 'next page' }).click();
    await expect(table.getByTestId('page')).toHaveText('Page 2 / 18');

    const bad = await addCode(page, 'const z = 1;\n\nundefinedThing.call();');
    await runWithKeys(bad);
    await expect(bad).toHaveAttribute('data-status', 'error');
    await expect(bad.getByTestId('error-output')).toContainText(
      'line 3: ReferenceError: undefinedThing is not defined',
    );
    await expect(bad.locator('.cm-error-line')).toHaveText('undefinedThing.call();');
    await bad.focus();
    await page.keyboard.press('d');
    await page.keyboard.press('d');
    await expect(page.getByTestId('toast')).toContainText('Cell deleted');
  });

  await test.step('keyboard: b inserts below, m makes markdown, dd deletes with Undo, ? shows help', async () => {
    const count = await cells(page).count();
    await tableCell.focus();
    await page.keyboard.press('b');
    await expect(cells(page)).toHaveCount(count + 1);
    await page.keyboard.press('m');
    await expect(cells(page).nth(count)).toHaveAttribute('data-kind', 'markdown');
    await page.keyboard.press('k');
    await expect(tableCell).toBeFocused();
    await page.keyboard.press('j');
    await page.keyboard.press('d');
    await page.keyboard.press('d');
    await expect(cells(page)).toHaveCount(count);
    await page.getByTestId('toast').getByRole('button', { name: 'Undo' }).click();
    await expect(cells(page)).toHaveCount(count + 1);
    await cells(page).nth(count).focus();
    await page.keyboard.press('d');
    await page.keyboard.press('d');
    await expect(cells(page)).toHaveCount(count);
    await page.keyboard.press('?');
    await expect(page.getByTestId('keyboard-help')).toContainText('Shift+Enter');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('keyboard-help')).toHaveCount(0);
  });

  await test.step('editing a cell makes its dependents stale; Run stale cells brings them back', async () => {
    await setCode(code, "const t = await load('sample:penguins');\nt.columns.length");
    await expect(code).toHaveAttribute('data-status', 'stale');
    await expect(chartCell).toHaveAttribute('data-status', 'stale');
    await expect(tableCell).toHaveAttribute('data-status', 'stale');
    await expect(pipe).toHaveAttribute('data-status', 'ok');
    // The linear pipeline's spec was edited in the previous step, so it is stale too.
    const linear = cells(page).nth(3);
    await expect(linear).toHaveAttribute('data-status', 'stale');
    await expect(page.getByTestId('run-stale')).toHaveText('⟳ Run stale cells (4)');
    await page.getByTestId('run-stale').click();
    for (const c of [code, linear, chartCell, tableCell])
      await expect(c).toHaveAttribute('data-status', 'ok', { timeout: 60_000 });
    await expect(code.getByTestId('text-output')).toHaveText('7');
    await expect(page.getByTestId('run-stale')).toBeDisabled();
  });

  await test.step('Interrupt stops an infinite loop and restarts the kernel', async () => {
    const loop = await addCode(page, 'let spins = 0;\nwhile (true) { spins++; }');
    await loop.getByLabel('run cell').click();
    await expect(loop).toHaveAttribute('data-status', 'running');
    await expect(page.getByTestId('kernel-status')).toContainText('busy');
    await page.getByRole('button', { name: '■ Interrupt' }).click();
    await expect(loop).toHaveAttribute('data-status', 'error');
    await expect(loop.getByTestId('error-output')).toContainText('Interrupted');
    await expect(page.getByTestId('kernel-status')).toContainText('idle');
    // The kernel is fresh: counting starts again and the old variables are gone.
    const after = await addCode(page, 'typeof t');
    await runWithKeys(after);
    await expect(after.getByTestId('text-output')).toHaveText('undefined');
    await expect(after.getByTestId('exec-count')).toHaveText('[1]');
  });

  await saved(page);
  await screenshotWhole(page, `${ARTIFACTS}/notebook-outputs.png`);
  const notebookUrl = page.url();

  await test.step('.ipynb export then import gives the same cells and outputs', async () => {
    const exported = await exportIpynb(page, `${ARTIFACTS}/results/notebook-export.ipynb`);
    expect(exported.nbformat).toBe(4);
    expect(exported.nbformat_minor).toBe(5);
    expect(exported.metadata.kernelspec).toEqual({
      name: 'flywheel-js',
      display_name: 'JavaScript (Flywheel)',
      language: 'javascript',
    });
    expect(exported.cells.map((c) => c.metadata.flywheel?.kind)).toEqual([
      'markdown',
      'pipeline',
      'code',
      'pipeline',
      'code',
      'code',
      'code',
      'code',
    ]);
    expect(exported.cells[1].outputs![0].data!['application/vnd.flywheel.run+json']).toMatchObject({
      status: 'succeeded',
      backend: 'webgpu',
    });
    expect(exported.cells[4].outputs![0].data!['application/vnd.flywheel.chart+json']).toMatchObject({ mark: 'dot' });
    expect(exported.cells[6].outputs![0]).toMatchObject({ output_type: 'error', ename: 'Interrupted' });

    await page.goto('/#/notebooks');
    await page.getByTestId('import-input').setInputFiles(`${ARTIFACTS}/results/notebook-export.ipynb`);
    await expect(page).toHaveURL(/#\/notebooks\/[0-9a-f]{16}$/);
    expect(page.url()).not.toBe(notebookUrl);
    await expect(cells(page)).toHaveCount(8);
    await expect(cells(page).nth(1).getByTestId('run-report')).toBeVisible();
    await expect(cells(page).nth(4).getByTestId('chart-output').locator('svg').first()).toBeVisible();
    await expect(cells(page).nth(5).getByTestId('table-output')).toBeVisible();
    const again = await exportIpynb(page, `${ARTIFACTS}/results/notebook-reexport.ipynb`);
    expect(again.cells).toEqual(exported.cells);
  });

  await test.step('the list shows both notebooks, newest first; reload keeps everything', async () => {
    await page.goto('/#/notebooks');
    await expect(page.getByTestId('notebook-row')).toHaveCount(2);
    await page.screenshot({ path: `${ARTIFACTS}/notebook-list.png` });
    await page.goto(notebookUrl);
    await page.reload();
    await expect(cells(page)).toHaveCount(8);
    await expect(cells(page).nth(1).getByTestId('run-report')).toHaveAttribute('data-status', 'succeeded');
    await expect(cells(page).nth(2).getByTestId('text-output')).toHaveText('7');
    await expect(cells(page).nth(4).getByTestId('chart-output').locator('svg').first()).toBeVisible();
    await expect(cells(page).nth(1).getByTestId('exec-count')).toHaveText('[1]');
  });

  await test.step('rename, duplicate and delete (with confirmation) from the list', async () => {
    await page.goto('/#/notebooks');
    const first = page.getByTestId('notebook-row').first();
    await first.getByRole('button', { name: /^rename/ }).click();
    await page.getByLabel('notebook name').fill('Penguins study');
    await page.getByLabel('notebook name').press('Enter');
    await expect(page.getByTestId('notebook-row').first()).toContainText('Penguins study');
    await page
      .getByTestId('notebook-row')
      .first()
      .getByRole('button', { name: /^duplicate/ })
      .click();
    await page.getByLabel('notebook name').press('Enter');
    await expect(page.getByTestId('notebook-row')).toHaveCount(3);
    await expect(page.getByTestId('notebook-row').first()).toContainText('Penguins study (copy)');
    await page
      .getByTestId('notebook-row')
      .first()
      .getByRole('button', { name: /^delete/ })
      .click();
    await page.getByTestId('confirm-delete').getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByTestId('notebook-row')).toHaveCount(3);
    await page
      .getByTestId('notebook-row')
      .first()
      .getByRole('button', { name: /^delete/ })
      .click();
    await page.getByTestId('confirm-delete').getByRole('button', { name: 'Delete' }).click();
    await expect(page.getByTestId('notebook-row')).toHaveCount(2);
    expect(await storeCount(page, 'notebooks')).toBe(2);
  });
});

test('a pipeline cell trains on a picked CSV file, and Cancel stops a run mid-training', async ({ page }) => {
  test.setTimeout(120_000);
  // Two numeric features and a label that is a simple function of them: any model learns it.
  const lines = ['x1,x2,label'];
  for (let i = 0; i < 120; i++) {
    const x1 = ((i * 37) % 101) / 10;
    const x2 = ((i * 53) % 97) / 10;
    lines.push(`${x1},${x2},${x1 > x2 ? 'high' : 'low'}`);
  }
  await page.goto('/#/notebooks');
  await page.getByRole('button', { name: '+ New notebook' }).first().click();
  const pipe = cells(page).nth(1);
  await pipe.getByRole('radio', { name: 'File' }).check();
  await pipe
    .getByLabel('data file')
    .setInputFiles({ name: 'points.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
  await expect(pipe.getByTestId('columns-status')).toContainText('120 rows · 3 columns', { timeout: COLD_PROFILE_MS });
  await expect(pipe.getByText('File: points.csv')).toBeVisible();
  await pipe.getByLabel('target column').selectOption('label');
  await pipe.getByLabel('backend').selectOption('cpu');
  // Cancel during training epochs (search has its own cancel test in search.spec.ts).
  await pipe.getByLabel('model type').selectOption('mlp');
  await pipe.getByLabel('epochs').fill('500');
  await pipe.getByLabel('epochs').press('Tab');

  await pipe.getByLabel('run cell').click();
  await expect(pipe.getByTestId('progress-label')).toContainText('/ 500', { timeout: 60_000 });
  await pipe.getByTestId('cancel-run').click();
  await expect(pipe.getByTestId('run-report')).toHaveAttribute('data-status', 'cancelled');
  await expect(pipe).toHaveAttribute('data-status', 'error');

  await pipe.getByLabel('epochs').fill('20');
  await pipe.getByLabel('epochs').press('Tab');
  await pipe.focus();
  await page.keyboard.press('Control+Enter');
  const report = pipe.getByTestId('run-report');
  await expect(report).toHaveAttribute('data-status', 'succeeded', { timeout: 60_000 });
  await expect(report.getByTestId('confusion-matrix').getByRole('row')).toHaveCount(3);
  await expect(report.getByTestId('backend')).toContainText('backend: cpu');
  expect(await storeCount(page, 'runs')).toBe(2);
  expect(await storeCount(page, 'datasets')).toBe(1);
});

test('a pipeline cell with a vsChampion gate compares with the champion this server serves', async ({ page }) => {
  test.setTimeout(180_000);
  const key = readFileSync(`${process.env.E2E_DATA!}/admin.key`, 'utf8').trim();
  const model = `champ-${Date.now()}`;
  const spec = (epochs: number) =>
    JSON.stringify(
      {
        name: model,
        data: 'sample:penguins',
        target: 'Species',
        model: { type: 'mlp' },
        train: { epochs, backend: 'cpu' },
        gates: [{ metric: 'accuracy', vsChampion: { minDelta: -1 } }],
      },
      null,
      2,
    );
  await page.goto('/#/notebooks');
  await page.getByRole('button', { name: '+ New notebook' }).first().click();
  const pipe = cells(page).nth(1);
  await pipe.getByRole('tab', { name: 'JSON' }).click();
  await setCode(pipe, spec(5));
  // The form shows the comparison with the champion, and edits it.
  await pipe.getByRole('tab', { name: 'Form' }).click();
  await expect(pipe.getByLabel('gate 1 vs champion', { exact: true })).toHaveValue('delta');
  await expect(pipe.getByLabel('gate 1 vs champion threshold')).toHaveValue('-1');
  await pipe.getByLabel('gate 1 vs champion', { exact: true }).selectOption('ratio');
  await expect(pipe.getByLabel('gate 1 vs champion threshold')).toHaveValue('0.99');
  await pipe.getByLabel('gate 1 vs champion threshold').fill('0.5');
  await pipe.getByLabel('gate 1 vs champion threshold').press('Tab');
  await pipe.getByRole('tab', { name: 'JSON' }).click();
  await expect(pipe.locator('.cm-content')).toContainText('"minRatio": 0.5');
  await pipe.getByLabel('run cell').click();
  const report = pipe.getByTestId('run-report');
  await expect(report).toHaveAttribute('data-status', 'succeeded', { timeout: 90_000 });
  // Nothing is published under this name yet: the gate says there is no champion.
  await expect(report.getByTestId('gate-report')).toContainText('no champion to compare with');

  // Publish that first model as the champion, then run again: the gate now reads its accuracy from the edge.
  const bundleId = (await report.getByRole('link', { name: /^Model / }).getAttribute('title'))!;
  expect((await page.request.get(`/v1/models/${model}`)).status()).toBe(404);
  await page.goto('/#/models');
  await page
    .getByRole('region', { name: `model ${model}` })
    .getByRole('button', { name: `publish ${model} ${bundleId.slice(0, 12)}` })
    .click();
  const dialog = page.getByRole('dialog', { name: 'API key for This server' });
  await dialog.getByLabel('API key').fill(key);
  await dialog.getByRole('button', { name: 'Save key and retry' }).click();
  await expect
    .poll(async () => (await page.request.get(`/v1/models/${model}`)).status(), { timeout: 30_000 })
    .toBe(200);
  const champion = (await (await page.request.get(`/v1/models/${model}`)).json()) as {
    aliases: { champion: number };
    versions: { version: number; metrics: { accuracy: number } }[];
  };
  expect(champion.aliases.champion).toBe(1);

  await page.goBack();
  const again = cells(page).nth(1);
  await again.getByLabel('run cell').click();
  const second = again.getByTestId('run-report');
  await expect(second).toHaveAttribute('data-status', 'succeeded', { timeout: 90_000 });
  const gates = second.getByTestId('gate-report');
  await expect(gates).not.toContainText('no champion to compare with');
  await expect(gates).toContainText(/ratio [\d.]+ \(1 \+ improvement/);
  await page.screenshot({ path: `${ARTIFACTS}/notebook-vs-champion.png`, fullPage: true });
});
