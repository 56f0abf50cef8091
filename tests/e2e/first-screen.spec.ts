/** The first screen a fresh browser shows, and keyboard focus after Interrupt. */
import { expect, test } from '@playwright/test';
import { COLD_PROFILE_MS } from '../support/timeouts';

test('the first screen shows the loop and opens a ready sample notebook', async ({ page }) => {
  await page.goto('/');
  const welcome = page.getByRole('region', { name: "Flywheel closes the loop of a model's life" });
  await expect(welcome.getByRole('listitem')).toHaveText([
    /^1\s*Train in Notebooks/,
    /^2\s*Publish in Models/,
    /^3\s*Monitor in Deployments/,
    /^4\s*Automate in Deployments/,
  ]);
  await welcome.getByRole('button', { name: 'Start from a sample' }).click();
  await expect(page).toHaveURL(/#\/notebooks\/[0-9a-f]{16}$/);
  await expect(page.getByLabel('notebook title')).toHaveValue('Sample: penguin species, the whole loop');
  await expect(page.getByTestId('cell')).toHaveCount(4);
  await expect(page.getByTestId('cell').nth(2)).toHaveAttribute('data-kind', 'pipeline');
  await expect(page.getByTestId('cell').nth(2).getByTestId('columns-status')).toContainText('344 rows · 7 columns', {
    timeout: COLD_PROFILE_MS,
  });
  await expect(page.getByTestId('cell').nth(2).getByTestId('spec-problems')).toHaveCount(0);
});

// Keyboard users keep their place: the Interrupt button turns disabled, and focus goes to the interrupted cell.
test('after Interrupt, focus returns to the interrupted cell', async ({ page }) => {
  await page.goto('/#/notebooks');
  await page.getByRole('button', { name: '+ New notebook' }).first().click();
  const code = page.getByTestId('cell').nth(2);
  await expect(code).toHaveAttribute('data-kind', 'code');
  await code.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText('while (true) {}');
  await page.keyboard.press('Control+Enter');
  await expect(code).toHaveAttribute('data-status', 'running');
  await page.getByRole('button', { name: '■ Interrupt' }).click();
  await expect(code).toHaveAttribute('data-status', 'error');
  await expect(code).toBeFocused();
});
