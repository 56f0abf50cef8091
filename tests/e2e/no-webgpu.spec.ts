import { expect, test } from '@playwright/test';

// A browser without the WebGPU flags: navigator.gpu offers no adapter.
test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-features=WebGPU',
    ],
  },
});

test('a forced backend the browser lacks fails with a message naming the available ones', async ({ page }) => {
  await page.goto('/lab.html');
  await expect(page.locator('#backends[data-ready="true"]')).toBeAttached({ timeout: 60_000 });
  const outcome = await page.evaluate(
    async () =>
      await (
        window as unknown as {
          lab: { start(s: unknown, b: string): { done: Promise<{ ok: boolean; code?: string; message?: string }> } };
        }
      ).lab.start({ data: 'sample:penguins', target: 'Species' }, 'webgpu').done,
  );
  expect(outcome).toMatchObject({ ok: false, code: 'unsupported' });
  expect(outcome.message).toMatch(/^the webgpu backend is not available here \(.+\); available: webgl, wasm, cpu$/);
});
