/**
 * The API view: reached from the main navigation, it lists every operation of the server's own
 * GET /openapi.json (TF Serving's label predict among them) with who may call it, shows a request
 * body's schema on demand, and links to the document itself.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';

test('lists every operation of /openapi.json, with request schemas and a link to the document', async ({
  page,
  request,
}) => {
  const doc = (await (await request.get('/openapi.json')).json()) as { paths: Record<string, object> };
  const count = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);
  await page.goto('/');
  await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'API' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'API' })).toBeVisible();
  await expect(page.getByTestId('api-operation')).toHaveCount(count);
  await expect(page.getByTestId('api-title')).toHaveText(new RegExp(`^Flywheel edge \\S+: ${count} operations$`));

  const predict = page.getByTestId('api-operation').filter({ hasText: '/v1/models/{name}/labels/{label}:predict' });
  await expect(predict).toContainText('POST');
  await expect(predict).toContainText('open; predict key if private');
  await predict.getByText('request body: application/json').click();
  await expect(predict.locator('pre')).toContainText('"signature_name"');

  const publish = page.getByTestId('api-operation').filter({ hasText: /^POST\s*\/v1\/models\/\{name\}\/versions\s/ });
  await expect(publish).toContainText('publish key');

  await expect(page.getByRole('link', { name: '/openapi.json' })).toHaveAttribute('href', '/openapi.json');
  const scan = await new AxeBuilder({ page }).analyze();
  expect(scan.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
});
