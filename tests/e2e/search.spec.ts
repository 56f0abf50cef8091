import { expect, test, type Locator, type Page } from '@playwright/test';
import { COLD_PROFILE_MS } from '../support/timeouts';

/**
 * The model search in the browser (`model.type: auto`, what a new pipeline starts with): trials run
 * in the pipeline worker's pool of trial workers, the leaderboard fills in as they finish, the run
 * page keeps it; cancel stops the run and every trial worker.
 */

const SHOTS = 'tests/e2e/artifacts';
/** Short enough for a test, long enough for a few trials on a busy two-core machine. */
const BUDGET = '20s';

/** The trial workers Chromium runs for this page (nested in the pipeline worker). */
function trialWorkers(page: Page): number {
  return page.workers().filter((w) => w.url().includes('trial.worker')).length;
}

async function newNotebook(page: Page): Promise<Locator> {
  await page.goto('/#/notebooks');
  await page.getByRole('button', { name: '+ New notebook' }).first().click();
  const pipe = page.getByTestId('cell').nth(1);
  await expect(pipe).toHaveAttribute('data-kind', 'pipeline');
  // The first read starts the pipeline worker: on a busy machine that takes more than the default 5 s.
  await expect(pipe.getByTestId('columns-status')).toContainText('344 rows', { timeout: COLD_PROFILE_MS });
  return pipe;
}

test('a new user runs the default pipeline: a model search in trial workers, its leaderboard live, then on the run page', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const pipe = await newNotebook(page);

  await test.step('the form starts with a model search of 60 s; the budget is one field', async () => {
    await expect(pipe.getByLabel('model type')).toHaveValue('auto');
    await expect(pipe.getByLabel('search budget')).toHaveValue('60s');
    // What the search picks is not asked for; a fixed model is one setting away.
    await expect(pipe.getByLabel('hidden layers')).toHaveCount(0);
    await expect(pipe.getByLabel('learning rate')).toHaveCount(0);
    await pipe.getByLabel('search budget').fill('20 seconds');
    await expect(pipe.getByTestId('field-error')).toContainText('a duration such as 60s');
    await expect(pipe.getByLabel('run cell')).toBeDisabled();
    await pipe.getByLabel('search budget').fill(BUDGET);
    await pipe.getByLabel('search budget').press('Tab');
    await expect(pipe.getByTestId('field-error')).toHaveCount(0);
    await pipe.getByRole('tab', { name: 'JSON' }).click();
    await expect(pipe.locator('.cm-content')).toContainText(`"budget": "${BUDGET}"`);
    await pipe.getByRole('tab', { name: 'Form' }).click();
  });

  const live = pipe.getByTestId('live-run');
  await test.step('Run: trials run in the trial workers and the leaderboard fills in as they finish', async () => {
    await pipe.getByLabel('run cell').click();
    const board = live.getByTestId('leaderboard');
    await expect(board.getByTestId('leaderboard-row').first()).toBeVisible({ timeout: 120_000 });
    await expect(board).toHaveAttribute('data-live', 'true');
    expect(trialWorkers(page)).toBeGreaterThan(0);
    await expect(live.getByTestId('progress-label')).toContainText(/Searching models · trial \d+ \/ 39/);
    const first = await board.getByTestId('leaderboard-row').count();
    await expect.poll(() => board.getByTestId('leaderboard-row').count(), { timeout: 30_000 }).toBeGreaterThan(first);
    await expect(board.getByRole('img', { name: 'score per trial, by rung' })).toBeVisible();
    await live.screenshot({ path: `${SHOTS}/search-live.png` });
  });

  const report = pipe.getByTestId('run-report');
  let runHref = '';
  let averaged = false;
  await test.step('the run finishes: the report keeps the leaderboard with the chosen model', async () => {
    await expect(report).toHaveAttribute('data-status', 'succeeded', { timeout: 180_000 });
    const board = report.getByTestId('leaderboard');
    await expect(board).toHaveAttribute('data-live', 'false');
    await expect(board.getByTestId('search-summary')).toContainText('Successive halving over');
    await expect(board.locator('[data-testid="leaderboard-row"][data-status="chosen"]')).toHaveCount(1);
    // By default a choice refit after cross-validation is refit three times and averaged, as many as the
    // budget leaves room for (fewer said among the warnings); a choice whose folds were still improving
    // when the budget cut the search trains once, early-stopping on the validation rows. Which path a
    // 20 s search takes depends on the machine's speed; whichever it is, the run page says the same.
    const line = board.getByTestId('search-ensemble');
    if ((await line.count()) > 0)
      await expect(line).toContainText(/^The chosen model was refit [23] times \(seeds \d+, \d+/);
    averaged = (await board.getByTestId('search-ensemble').count()) > 0;
    // Every trial trained in a worker of the pool, on the backend the run measured and chose.
    const backend = (await report.getByTestId('backend').locator('strong').textContent())!;
    for (const cell of await board.locator('[data-testid="leaderboard-row"] td:nth-child(7)').all())
      await expect(cell).toHaveText(backend);
    await expect.poll(() => trialWorkers(page), { timeout: 10_000 }).toBe(0);
    const summary = (await board.getByTestId('search-summary').textContent())!;
    const rows = await board.getByTestId('leaderboard-row').count();
    const rungs = await board.locator('[data-testid="leaderboard-row"] td:nth-child(4)').allTextContents();
    const scored = rungs.reduce((n, r) => n + Number(r), 0);
    const seconds = Number(/([\d.]+) s of a/.exec(summary)![1]);
    test.info().annotations.push({
      type: 'trials/min',
      description: `${rows} candidates, ${scored} candidate-rungs scored in ${seconds} s: ${((scored * 60) / seconds).toFixed(0)} per minute (${summary})`,
    });
    await pipe.screenshot({ path: `${SHOTS}/search-report.png` });
    runHref = (await report.getByRole('link', { name: 'Run details' }).getAttribute('href'))!;
  });

  await test.step('the run page shows the stored leaderboard, in light and dark', async () => {
    await page.goto(`/${runHref}`);
    const board = page.getByTestId('leaderboard');
    await expect(board.getByTestId('search-summary')).toContainText('Successive halving over');
    await expect(board.locator('[data-testid="leaderboard-row"][data-status="chosen"]')).toHaveCount(1);
    await expect(page.getByTestId('search-choice')).toContainText('auto → ');
    // The stored run says what the report said.
    await expect(board.getByTestId('search-ensemble')).toHaveCount(averaged ? 1 : 0);
    await board.screenshot({ path: `${SHOTS}/search-run-page-light.png` });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.reload();
    await expect(page.getByTestId('leaderboard').getByTestId('search-summary')).toBeVisible();
    await page.getByTestId('leaderboard').screenshot({ path: `${SHOTS}/search-run-page-dark.png` });
  });
  expect(errors).toEqual([]);
});

test('cancel during the search in the notebook stops it within seconds, trial workers gone', async ({ page }) => {
  test.setTimeout(240_000);
  const pipe = await newNotebook(page);
  await pipe.focus();
  await page.keyboard.press('Shift+Enter');
  const live = pipe.getByTestId('live-run');
  await expect(live.getByTestId('leaderboard-row').first()).toBeVisible({ timeout: 120_000 });
  expect(trialWorkers(page)).toBeGreaterThan(0);
  await live.getByTestId('cancel-run').click();
  await expect(pipe.getByTestId('run-report')).toHaveAttribute('data-status', 'cancelled', { timeout: 15_000 });
  await expect.poll(() => trialWorkers(page), { timeout: 10_000 }).toBe(0);
});

interface Lab {
  start(
    spec: unknown,
    backend: string,
    options?: { trialWorkers?: number },
  ): { runId: string; events: { type: string }[]; done: Promise<{ ok: boolean; code?: string; message?: string }> };
  pipeline: { cancel(id: string): Promise<void>; trialWorkers(): Promise<{ workers: number; busy: number }> };
}
type LabWindow = Window & { lab: Lab; run?: ReturnType<Lab['start']>; settled?: { ok: boolean; code?: string } };

async function openLab(page: Page): Promise<void> {
  await page.goto('/lab.html');
  await expect(page.locator('#backends[data-ready="true"]')).toBeAttached({ timeout: 60_000 });
}

test('cancel during the model search stops the run and every trial worker', async ({ page }) => {
  await openLab(page);
  const spec = { data: 'sample:penguins', target: 'Species', model: { type: 'auto', budget: '60s' } };
  await page.evaluate((s) => {
    const w = window as unknown as LabWindow;
    w.run = w.lab.start(s, 'auto');
    void w.run.done.then((r) => (w.settled = r));
  }, spec);
  const trials = () =>
    page.evaluate(() => (window as unknown as LabWindow).run!.events.filter((e) => e.type === 'trial').length);
  await expect.poll(trials, { timeout: 90_000 }).toBeGreaterThan(0);
  // The trials run in the trial workers, not the pipeline worker: they say so while the search goes on.
  await expect
    .poll(async () => (await page.evaluate(() => (window as unknown as LabWindow).lab.pipeline.trialWorkers())).busy, {
      timeout: 10_000,
    })
    .toBeGreaterThan(0);
  const during = await page.evaluate(() => (window as unknown as LabWindow).lab.pipeline.trialWorkers());
  expect(during.workers).toBeGreaterThan(0);
  await page.evaluate(() => {
    const w = window as unknown as LabWindow;
    return w.lab.pipeline.cancel(w.run!.runId);
  });
  // Abort reaches each running task before its next batch: the run settles within seconds.
  await expect
    .poll(() => page.evaluate(() => (window as unknown as LabWindow).settled ?? null), { timeout: 15_000 })
    .toMatchObject({
      ok: false,
      code: 'cancelled',
    });
  expect(await page.evaluate(() => (window as unknown as LabWindow).lab.pipeline.trialWorkers())).toEqual({
    workers: 0,
    busy: 0,
  });
  const after = await trials();
  expect(after).toBeGreaterThan(0);
});

test("a run's trialWorkers sizes its search's pool of trial workers; a size out of range is refused", async ({
  page,
}) => {
  await openLab(page);
  const spec = { data: 'sample:penguins', target: 'Species', model: { type: 'auto', budget: '60s' } };
  const refused = await page.evaluate(
    (s) => (window as unknown as LabWindow).lab.start(s, 'wasm', { trialWorkers: 0 }).done,
    spec,
  );
  expect(refused).toMatchObject({ ok: false, code: 'bad_input' });
  // One worker, where the default would start one per core (two or more on the machines this runs on).
  await page.evaluate((s) => {
    const w = window as unknown as LabWindow;
    w.run = w.lab.start(s, 'wasm', { trialWorkers: 1 });
    void w.run.done.then((r) => (w.settled = r));
  }, spec);
  const info = () => page.evaluate(() => (window as unknown as LabWindow).lab.pipeline.trialWorkers());
  await expect.poll(async () => (await info()).busy, { timeout: 90_000 }).toBeGreaterThan(0);
  expect(await info()).toEqual({ workers: 1, busy: 1 });
  await page.evaluate(() => {
    const w = window as unknown as LabWindow;
    return w.lab.pipeline.cancel(w.run!.runId);
  });
  await expect
    .poll(() => page.evaluate(() => (window as unknown as LabWindow).settled ?? null), { timeout: 15_000 })
    .toMatchObject({ ok: false, code: 'cancelled' });
});
