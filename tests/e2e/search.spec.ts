import { expect, test, type Page } from '@playwright/test';

/**
 * The model search in the browser (`model.type: auto`): trials run in the pipeline worker's pool of
 * trial workers; cancel stops them all.
 */

interface Lab {
  start(
    spec: unknown,
    backend: string,
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
    .poll(() => page.evaluate(() => (window as unknown as LabWindow).lab.pipeline.trialWorkers()), { timeout: 10_000 })
    .toMatchObject({ busy: expect.any(Number) });
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
