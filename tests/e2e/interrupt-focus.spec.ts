/** Keyboard users keep their place: after Interrupt (whose button then turns disabled), focus is on the interrupted cell. */
import { expect, test } from '@playwright/test';

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
