import { expect, test } from '@playwright/test';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { COLD_PROFILE_MS } from '../support/timeouts';

test('the app profiles a sample dataset in the browser, cross-origin isolated', async ({ page }) => {
  await page.goto('/#/data');
  await expect(page.getByTestId('summary')).toContainText('344 rows · 7 columns', { timeout: COLD_PROFILE_MS });
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  const profile = page.getByTestId('profile');
  await expect(profile.getByRole('row', { name: /Species/ })).toContainText('Adelie 44%');
  await expect(profile.getByRole('row', { name: /Body Mass/ })).toContainText('4,202');
  // The median is exact (pandas: 4050.0), so it carries no "≈".
  await expect(
    profile
      .getByRole('row', { name: /Body Mass/ })
      .getByRole('cell')
      .nth(6),
  ).toHaveText('4,050');
  await page.getByLabel('dataset').selectOption('sample:seattle-weather');
  await expect(page.getByTestId('summary')).toContainText('1,461 rows · 6 columns');
  await expect(profile.getByRole('row', { name: /^date/ })).toContainText('datetime');
  await page.screenshot({ path: 'tests/e2e/artifacts/profile-seattle.png', fullPage: true });
});

test('a Parquet file picked in the browser is profiled with its types', async ({ page }) => {
  // Written by hyparquet-writer (snappy, as pandas and pyarrow write by default): Debian has no pyarrow here.
  const n = 5000;
  const parquet = parquetWriteBuffer({
    columnData: [
      { name: 'id', data: Array.from({ length: n }, (_, i) => BigInt(i)), type: 'INT64' },
      {
        name: 'zip',
        data: Array.from({ length: n }, (_, i) => String(10_000 + (i % 40)).padStart(6, '0')),
        type: 'STRING',
      },
    ],
  });
  await page.goto('/#/data');
  await page.getByLabel('data file', { exact: true }).setInputFiles({
    name: 'points.parquet',
    mimeType: 'application/vnd.apache.parquet',
    buffer: Buffer.from(parquet),
  });
  await expect(page.getByTestId('summary')).toContainText('5,000 rows · 2 columns', { timeout: COLD_PROFILE_MS });
  const profile = page.getByTestId('profile');
  // Exact median of 0…4,999, without "≈"; zip codes stay text (categorical), leading zeros and all.
  await expect(profile.getByRole('row', { name: /^id/ }).getByRole('cell').nth(6)).toHaveText('2,500');
  await expect(profile.getByRole('row', { name: /^zip/ })).toContainText('categorical');
  await expect(profile.getByRole('row', { name: /^zip/ })).toContainText('010000');
});
