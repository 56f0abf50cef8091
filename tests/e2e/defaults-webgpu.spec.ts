/**
 * The default `auto` backend from a cold start in a browser that offers WebGPU (SwiftShader, the
 * flags in playwright.config.ts): a new notebook's own pipeline, nothing forced. defaults.spec.ts
 * walks the whole journey in a browser without WebGPU.
 */
import { expect, test } from '@playwright/test';
import { guard, newNotebook } from './default-guard';

test('with WebGPU offered (SwiftShader), a new notebook trains on auto from a cold start', async ({ page }) => {
  test.setTimeout(300_000);
  const watch = guard(page);
  await page.goto('/');
  const pipe = await newNotebook(page);
  await page.getByRole('button', { name: 'Run all' }).click();
  const report = pipe.getByTestId('run-report');
  await expect(report).toBeVisible({ timeout: 240_000 });
  await expect(report).toHaveAttribute('data-status', 'succeeded');
  await expect(report.getByTestId('backend')).toContainText('auto measured');
  await expect(report.getByTestId('backend')).toContainText('webgpu');
  watch.check();
});
