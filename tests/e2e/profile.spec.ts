import { expect, test } from '@playwright/test';

test('the app profiles a sample dataset in the browser, cross-origin isolated', async ({ page }) => {
  await page.goto('/#/data');
  await expect(page.getByTestId('summary')).toContainText('344 rows · 7 columns');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  const profile = page.getByTestId('profile');
  await expect(profile.getByRole('row', { name: /Species/ })).toContainText('Adelie 44%');
  await expect(profile.getByRole('row', { name: /Body Mass/ })).toContainText('4,202');
  // The median is exact (pandas: 4050.0), so it carries no "≈".
  await expect(profile.getByRole('row', { name: /Body Mass/ }).getByRole('cell').nth(6)).toHaveText('4,050');
  await page.getByLabel('dataset').selectOption('sample:seattle-weather');
  await expect(page.getByTestId('summary')).toContainText('1,461 rows · 6 columns');
  await expect(profile.getByRole('row', { name: /^date/ })).toContainText('datetime');
  await page.screenshot({ path: 'tests/e2e/artifacts/profile-seattle.png', fullPage: true });
});
