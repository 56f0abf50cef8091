import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';

/**
 * The notebook as a Jupyter user expects it, in real Chromium against the built app: console output
 * under the cell, `profile()` shown, the cell API in the help panel and autocomplete, markdown lists
 * and math, `.ipynb` export that Jupyter's own validator accepts, and a Python notebook imported with
 * its outputs kept (not run as JavaScript) and exported back as Jupyter wrote it.
 */

const ARTIFACTS = 'tests/e2e/artifacts';
const PYTHON_FIXTURE = 'web/lib/notebook/fixtures/python-analysis.ipynb';
/** Debian's python3-nbformat lives with the system Python, which a pyenv or venv python3 may hide. */
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

type Doc = {
  metadata: Record<string, unknown>;
  cells: {
    cell_type: string;
    execution_count?: number | null;
    metadata: Record<string, unknown>;
    outputs?: {
      output_type: string;
      name?: string;
      text?: string[];
      data?: Record<string, string[] | unknown>;
      execution_count?: number | null;
    }[];
  }[];
};

function validateWithNbformat(path: string): void {
  execFileSync(
    PYTHON,
    ['-c', 'import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=4))', path],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

function cells(page: Page): Locator {
  return page.getByTestId('cell');
}

async function addCode(page: Page, text: string): Promise<Locator> {
  const before = await cells(page).count();
  await page.getByRole('button', { name: '+ Code' }).click();
  const cell = cells(page).nth(before);
  await cell.locator('.cm-content').click();
  await page.keyboard.insertText(text);
  return cell;
}

async function run(cell: Locator): Promise<void> {
  await cell.locator('.cm-content').click();
  await cell.page().keyboard.press('Control+Enter');
  await expect(cell).not.toHaveAttribute('data-status', /running|queued/);
}

async function exportIpynb(page: Page, path: string): Promise<Doc> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-ipynb').click()]);
  await download.saveAs(path);
  return JSON.parse(readFileSync(path, 'utf8'));
}

test('console streams, profile(), the cell API help, markdown lists and math, and an export nbformat accepts', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/#/notebooks');
  await page.getByRole('button', { name: '+ New notebook' }).first().click();
  await expect(page).toHaveURL(/#\/notebooks\/[0-9a-f]{16}$/);
  // The new notebook's starter cells render after the URL changes; addCode counts cells, so wait for them.
  await expect(cells(page).first()).toBeVisible();

  await test.step('console.log/info go to stdout, warn/error to stderr, the value after them', async () => {
    const cell = await addCode(
      page,
      "for (const n of [1, 2]) console.log('row', n);\nconsole.info({ ok: true });\nconsole.warn('careful');\nconsole.error(new RangeError('too far'));\n42",
    );
    await run(cell);
    await expect(cell).toHaveAttribute('data-status', 'ok');
    const streams = cell.getByTestId('stream-output');
    await expect(streams).toHaveCount(2);
    await expect(streams.nth(0)).toHaveAttribute('data-stream', 'stdout');
    await expect(streams.nth(0)).toHaveText('row 1\nrow 2\n{\n  "ok": true\n}\n', { useInnerText: true });
    await expect(streams.nth(1)).toHaveAttribute('data-stream', 'stderr');
    await expect(streams.nth(1)).toHaveText('careful\nRangeError: too far\n', { useInnerText: true });
    await expect(cell.getByTestId('text-output')).toHaveText('42');
  });

  await test.step('await profile(table) shows the profile', async () => {
    const cell = await addCode(page, "const penguins = await load('sample:penguins');\nawait profile(penguins)");
    await run(cell);
    await expect(cell).toHaveAttribute('data-status', 'ok');
    const profile = cell.getByTestId('profile');
    await expect(profile.getByRole('row', { name: /Body Mass \(g\)/ })).toContainText('number');
    await expect(profile.getByRole('row', { name: /Species/ })).toContainText('Adelie');
    await cell.screenshot({ path: `${ARTIFACTS}/notebook-profile-output.png` });
  });

  await test.step('a chart and a table for the export', async () => {
    const chart = await addCode(
      page,
      "display({ mark: 'dot', data: flywheel.toRows(penguins), x: 'Flipper Length (mm)', y: 'Body Mass (g)', z: 'Species' })",
    );
    await run(chart);
    await expect(chart.getByTestId('chart-output').locator('svg').first()).toBeVisible();
    const table = await addCode(page, 'penguins');
    await run(table);
    await expect(table.getByTestId('table-output')).toBeVisible();
  });

  await test.step('the ? panel documents the cell API; autocomplete offers it with its description', async () => {
    await cells(page).last().focus();
    await page.keyboard.press('?');
    const help = page.getByTestId('cell-api-help');
    for (const text of [
      'load(source)',
      'profile(table)',
      'display(value)',
      'display({ mark, data, x, y, z?, title? })',
      'tf',
    ])
      await expect(help).toContainText(text);
    await page.screenshot({ path: `${ARTIFACTS}/notebook-help.png` });
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('keyboard-help')).toHaveCount(0);

    const cell = await addCode(page, 'prof');
    const list = page.locator('.cm-tooltip-autocomplete');
    await expect(list.getByRole('option', { name: /profile/ })).toBeVisible();
    await expect(page.locator('.cm-completionInfo')).toContainText('Statistics per column');
    await page.screenshot({ path: `${ARTIFACTS}/notebook-autocomplete.png` });
    // CodeMirror ignores Enter on a list open for less than its interactionDelay (75 ms), so a quick
    // keystroke types a newline instead of picking: a user waits longer than that, and so does this.
    await page.waitForTimeout(150);
    await page.keyboard.press('Enter');
    await expect(cell.locator('.cm-content')).toHaveText('profile');
    await page.keyboard.insertText("(await load('sample:pen");
    await expect(list.getByRole('option', { name: 'sample:penguins' })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(list).toHaveCount(0);
    await page.keyboard.press('Escape');
    await cell.focus();
    await page.keyboard.press('d');
    await page.keyboard.press('d');
  });

  await test.step('Enter continues a markdown list without doubling the marker; $…$ renders as math', async () => {
    await page.getByRole('button', { name: '+ Markdown' }).click();
    const md = cells(page).nth((await cells(page).count()) - 1);
    await md.locator('.cm-content').click();
    await page.keyboard.type('Islands:\n\n- Biscoe');
    await page.keyboard.press('Enter');
    await page.keyboard.type('- Dream');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Torgersen');
    // Enter on an empty item ends the list (CodeMirror's markdown mode); one more for a blank line.
    for (let i = 0; i < 3; i++) await page.keyboard.press('Enter');
    await page.keyboard.type('Mass is $m = \\rho V$ and $$\\sum_i x_i$$');
    await page.keyboard.press('Shift+Enter');
    const rendered = md.getByTestId('markdown-rendered');
    await expect(rendered.locator('li')).toHaveText(['Biscoe', 'Dream', 'Torgersen']);
    await expect(rendered.locator('.katex')).toHaveCount(2);
    await expect(rendered).not.toContainText('$');
    await md.screenshot({ path: `${ARTIFACTS}/notebook-markdown-math.png` });
  });

  await test.step('export: nbformat validates it; streams, results, HTML tables and SVG charts for Jupyter', async () => {
    await expect(page.getByTestId('save-state')).toHaveAttribute('data-state', 'saved');
    const path = `${ARTIFACTS}/results/notebook-jupyter-export.ipynb`;
    const doc = await exportIpynb(page, path);
    validateWithNbformat(path);
    const code = doc.cells.filter((c) => c.cell_type === 'code' && c.outputs?.length);
    const [streams, profiled, charted, tabled] = code.slice(-4);
    expect(streams.outputs!.map((o) => [o.output_type, o.name])).toEqual([
      ['stream', 'stdout'],
      ['stream', 'stderr'],
      ['execute_result', undefined],
    ]);
    expect(streams.outputs![1].text!.join('')).toBe('careful\nRangeError: too far\n');
    expect(streams.outputs![2].execution_count).toBe(streams.execution_count);
    expect((profiled.outputs![0].data!['text/html'] as string[]).join('')).toContain('Body Mass (g)');
    expect((charted.outputs![0].data!['image/svg+xml'] as string[]).join('')).toMatch(
      /^<svg[^>]+xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*<circle/,
    );
    expect((tabled.outputs![0].data!['text/html'] as string[]).join('')).toContain('<th>Species</th>');
    const counts = doc.cells.map((c) => c.execution_count).filter((n) => typeof n === 'number');
    expect(new Set(counts).size).toBe(counts.length);
  });
  expect(errors).toEqual([]);
});

test('a Python notebook imports with a warning, keeps its outputs instead of running, and exports as Jupyter wrote it', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/#/notebooks');
  await page.getByTestId('import-input').setInputFiles(PYTHON_FIXTURE);
  await expect(page).toHaveURL(/#\/notebooks\/[0-9a-f]{16}$/);
  await expect(page.getByTestId('foreign-kernel')).toContainText('Python 3 (ipykernel)');
  await expect(cells(page)).toHaveCount(5);
  await expect(cells(page).nth(1)).toHaveAttribute('data-kind', 'raw');

  const attachment = cells(page).nth(0).getByTestId('markdown-rendered').locator('img');
  await expect(attachment).toHaveAttribute('src', /^data:image\/png;base64,iVBOR/);
  expect(await attachment.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);

  const load = cells(page).nth(2);
  await expect(load.getByTestId('stream-output').nth(0)).toHaveText('344');
  await expect(load.getByTestId('stream-output').nth(1)).toHaveAttribute('data-stream', 'stderr');
  await expect(load.locator('table.dataframe')).toContainText('Adelie');
  await expect(cells(page).nth(3).locator('img')).toHaveAttribute('src', /^data:image\/png/);
  const traceback = cells(page).nth(4).getByTestId('traceback');
  await expect(traceback).toContainText('ZeroDivisionError: division by zero');
  await expect(traceback).not.toContainText('[0;31m');
  const red = await traceback
    .locator('.ansi-red-fg')
    .first()
    .evaluate((el) => getComputedStyle(el).color);
  expect(red).not.toBe(await traceback.evaluate((el) => getComputedStyle(el).color));
  await page.screenshot({ path: `${ARTIFACTS}/notebook-python-import.png`, fullPage: true });
  await page.evaluate(() => (document.documentElement.dataset.theme = 'dark'));
  await cells(page)
    .nth(2)
    .screenshot({ path: `${ARTIFACTS}/notebook-python-import-dark-streams.png` });
  await cells(page)
    .nth(4)
    .screenshot({ path: `${ARTIFACTS}/notebook-python-import-dark-traceback.png` });
  await page.evaluate(() => (document.documentElement.dataset.theme = 'light'));

  // Run all leaves Python alone: no JavaScript syntax errors in place of its outputs.
  await expect(load.getByLabel('run cell')).toBeDisabled();
  await page.getByRole('button', { name: '▶ Run all' }).click();
  await expect(cells(page).getByTestId('error-output')).toHaveCount(1);
  await expect(load.getByTestId('stream-output').nth(0)).toHaveText('344');
  await expect(load.getByTestId('exec-count')).toHaveText('[1]');

  const path = `${ARTIFACTS}/results/python-reexport.ipynb`;
  const doc = await exportIpynb(page, path);
  validateWithNbformat(path);
  const original = JSON.parse(readFileSync(PYTHON_FIXTURE, 'utf8')) as Doc;
  expect(doc.metadata.kernelspec).toEqual(original.metadata.kernelspec);
  const withoutFlywheel = (c: Doc['cells'][number]) => ({
    ...c,
    metadata: Object.fromEntries(Object.entries(c.metadata).filter(([k]) => k !== 'flywheel')),
  });
  expect(doc.cells.map(withoutFlywheel)).toEqual(original.cells);
  expect(errors).toEqual([]);
});
