import { expect, test } from '@playwright/test';
import { COLD_PROFILE_MS } from '../support/timeouts';

/**
 * The pipeline form checks what is typed, in real Chromium: a field the spec cannot take keeps its
 * text with the reason under it and the cell cannot run (no silent revert, no failure after Run);
 * picking another dataset clears a target that dataset does not have.
 */

const ARTIFACTS = 'tests/e2e/artifacts';

test('pipeline form: inline field errors disable Run; a new dataset resets a target it lacks', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/#/notebooks');
  await page.getByRole('button', { name: '+ New notebook' }).first().click();
  const pipe = page.getByTestId('cell').nth(1);
  await expect(pipe).toHaveAttribute('data-kind', 'pipeline');
  // The first read starts the pipeline worker: on a busy machine that takes more than the default 5 s.
  await expect(pipe.getByTestId('columns-status')).toContainText('344 rows', { timeout: COLD_PROFILE_MS });
  const run = pipe.getByLabel('run cell');
  await expect(run).toBeEnabled();

  await test.step('hidden layers and learning rate are checked as typed, and kept while wrong', async () => {
    // A new pipeline searches models; an MLP (with its layers and learning rate) is one setting away.
    await expect(pipe.getByLabel('model type')).toHaveValue('auto');
    await pipe.getByLabel('model type').selectOption('mlp');
    await pipe.getByLabel('hidden layers').fill('64, abc');
    await expect(pipe.getByTestId('field-error')).toHaveText(/"abc" is not a layer size/);
    await pipe.getByLabel('hidden layers').press('Tab');
    await expect(pipe.getByLabel('hidden layers')).toHaveValue('64, abc');
    await expect(pipe.getByLabel('hidden layers')).toHaveAttribute('aria-invalid', 'true');
    await expect(run).toBeDisabled();
    await pipe.getByLabel('learning rate').fill('0');
    await pipe.getByLabel('learning rate').press('Tab');
    await expect(pipe.getByTestId('field-error')).toHaveCount(2);
    await expect(pipe.getByTestId('field-error').nth(1)).toContainText('above 0');
    // Shift+Enter does not run it either: the reasons are on screen, the outputs stay empty.
    await pipe.getByLabel('learning rate').press('Shift+Enter');
    await expect(pipe).toHaveAttribute('data-status', 'idle');
    await pipe.screenshot({ path: `${ARTIFACTS}/pipeline-form-errors.png` });

    await pipe.getByLabel('hidden layers').fill('16');
    await pipe.getByLabel('hidden layers').press('Tab');
    await pipe.getByLabel('learning rate').fill('0.01');
    await pipe.getByLabel('learning rate').press('Tab');
    await expect(pipe.getByTestId('field-error')).toHaveCount(0);
    await expect(run).toBeEnabled();
    await pipe.getByRole('tab', { name: 'JSON' }).click();
    await expect(pipe.locator('.cm-content')).toContainText(/"hidden": \[\s*16\s*\]/);
    await expect(pipe.locator('.cm-content')).toContainText('"learningRate": 0.01');
    await pipe.getByRole('tab', { name: 'Form' }).click();
  });

  await test.step('another dataset without the target column clears the target', async () => {
    await pipe.getByLabel('sample dataset').selectOption('sample:cars');
    await expect(pipe.getByTestId('columns-status')).toContainText('406 rows', { timeout: COLD_PROFILE_MS });
    await expect(pipe.getByLabel('target column')).toHaveValue('');
    await expect(pipe.getByTestId('field-error')).toContainText('Choose the column to predict');
    await expect(run).toBeDisabled();
    await pipe.getByLabel('target column').selectOption('Origin');
    await expect(pipe.getByTestId('field-error')).toHaveCount(0);
    await expect(run).toBeEnabled();
  });
  expect(errors).toEqual([]);
});
