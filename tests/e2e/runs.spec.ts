import { expect, test, type Page } from '@playwright/test';

/**
 * The runs a user keeps, in real Chromium: runs stored by the app's first database schema survive the
 * upgrade to the one with tags; a run is renamed, tagged and annotated, and that lasts a reload; the
 * table sorts by any column and says why a run trained fewer epochs than asked (early stopping).
 */

const ARTIFACTS = 'tests/e2e/artifacts';

const epochs = (n: number, best: number) =>
  Array.from({ length: n }, (_, epoch) => ({
    epoch,
    loss: 1 / (epoch + 1),
    val_loss: Math.abs(epoch - best) / 10 + 0.2,
    accuracy: 0.5 + epoch / (2 * n),
  }));
const RUNS = [
  {
    id: 'aaaa000000000001',
    name: 'penguins-species',
    status: 'succeeded',
    backend: 'webgl',
    startedAt: 1_700_000_000_000,
    finishedAt: 1_700_000_009_000,
    spec: {
      data: 'sample:penguins',
      target: 'Species',
      model: { type: 'mlp', hidden: [32] },
      train: { epochs: 40, learningRate: 0.01, earlyStopping: { patience: 5 } },
    },
    history: epochs(12, 6),
    metrics: { accuracy: 0.97, f1_macro: 0.96 },
    warnings: [],
  },
  {
    id: 'bbbb000000000002',
    name: 'penguins-linear',
    status: 'succeeded',
    backend: 'wasm',
    startedAt: 1_700_000_100_000,
    finishedAt: 1_700_000_104_000,
    spec: { data: 'sample:penguins', target: 'Species', model: { type: 'linear' }, train: { epochs: 20 } },
    history: epochs(20, 19),
    metrics: { accuracy: 0.91, f1_macro: 0.9 },
    warnings: [],
  },
];

/** Writes the database as the app's first schema (Dexie version 1, IndexedDB version 10) left it. */
async function seedVersion1(page: Page): Promise<void> {
  await page.goto('/healthz');
  await page.evaluate(async (runs) => {
    await new Promise<void>((resolve, reject) => {
      const open = indexedDB.open('flywheel', 10);
      open.onupgradeneeded = () => {
        const db = open.result;
        db.createObjectStore('notebooks', { keyPath: 'id' }).createIndex('updatedAt', 'updatedAt');
        const datasets = db.createObjectStore('datasets', { keyPath: 'id' });
        datasets.createIndex('name', 'name');
        datasets.createIndex('createdAt', 'createdAt');
        const r = db.createObjectStore('runs', { keyPath: 'id' });
        for (const i of ['startedAt', 'status', 'notebookId']) r.createIndex(i, i);
        const models = db.createObjectStore('models', { keyPath: 'id' });
        models.createIndex('name', 'name');
        models.createIndex('createdAt', 'createdAt');
        db.createObjectStore('settings', { keyPath: 'key' });
        for (const run of runs) open.transaction!.objectStore('runs').put(run);
      };
      open.onsuccess = () => {
        open.result.close();
        resolve();
      };
      open.onerror = () => reject(open.error);
    });
  }, RUNS);
}

/** Run ids carrying a tag, read through the tags index the upgrade added. */
async function runsTagged(page: Page, tag: string): Promise<string[]> {
  return page.evaluate(
    (t) =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('flywheel');
        open.onsuccess = () => {
          const req = open.result.transaction('runs').objectStore('runs').index('tags').getAllKeys(t);
          req.onsuccess = () => {
            resolve(req.result as string[]);
            open.result.close();
          };
          req.onerror = () => reject(req.error);
        };
        open.onerror = () => reject(open.error);
      }),
    tag,
  );
}

test('runs from the first schema upgrade, take names, tags and notes, sort by column and explain early stops', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await seedVersion1(page);
  await page.goto('/#/runs');
  const table = page.getByTestId('runs');
  const names = table.locator('tbody td.name a');
  await expect(names).toHaveText(['penguins-linear', 'penguins-species']);

  await test.step('epochs run against asked, with early stopping explained', async () => {
    const early = table.getByRole('row', { name: /penguins-species/ });
    await expect(early.getByTestId('epochs')).toHaveText('12/40 early stop');
    await expect(early.getByTestId('early-stop')).toHaveAttribute(
      'title',
      'Early stop: val_loss did not improve for 5 epochs, so training ended after epoch 12 of 40 and kept the weights of its best epoch.',
    );
    await expect(table.getByRole('row', { name: /penguins-linear/ }).getByTestId('epochs')).toHaveText('20/20');
    await expect(early).toContainText('mlp 32');
    await expect(early).toContainText('0.01');
    await expect(early).toContainText('webgl');
  });

  await test.step('headers sort the table', async () => {
    await table.getByRole('button', { name: 'metrics' }).click();
    await expect(table.locator('th[aria-sort=descending]')).toHaveText(/metrics/);
    await expect(names).toHaveText(['penguins-species', 'penguins-linear']);
    await table.getByRole('button', { name: 'metrics' }).click();
    await expect(names).toHaveText(['penguins-linear', 'penguins-species']);
    await table.getByRole('button', { name: 'epochs' }).click();
    await expect(table.locator('th[aria-sort=ascending]')).toHaveText(/epochs/);
    await expect(names).toHaveText(['penguins-species', 'penguins-linear']);
  });

  await test.step('rename, tag and annotate a run; it lasts a reload', async () => {
    await names.filter({ hasText: 'penguins-species' }).click();
    await page.getByLabel('run name').fill('wide net, early stop');
    await page.getByLabel('run name').press('Enter');
    await page.getByLabel('run tags').fill('baseline, small data, baseline');
    await page.getByLabel('run tags').press('Tab');
    await page.getByLabel('run notes').fill('Stops at 12: more patience next time.');
    await page.getByLabel('run notes').press('Tab');
    await expect.poll(() => runsTagged(page, 'baseline')).toEqual(['aaaa000000000001']);
    await page.screenshot({ path: `${ARTIFACTS}/runs-detail-labels.png` });
    await page.reload();
    await expect(page.getByLabel('run name')).toHaveValue('wide net, early stop');
    await expect(page.getByLabel('run tags')).toHaveValue('baseline, small data');
    await expect(page.getByLabel('run notes')).toHaveValue('Stops at 12: more patience next time.');
    await page.getByRole('link', { name: '← All runs' }).click();
    const row = table.getByRole('row', { name: /wide net, early stop/ });
    await expect(row.locator('.tag')).toHaveText(['baseline', 'small data']);
    await expect(row.getByLabel('notes: Stops at 12: more patience next time.')).toBeVisible();
    await page.screenshot({ path: `${ARTIFACTS}/runs-table.png` });
  });
  expect(errors).toEqual([]);
});
