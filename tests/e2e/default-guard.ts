/**
 * What the default-settings specs share: a guard that fails on any page or console error (the page's
 * and its workers') and on a runaway loop of requests, and the first steps of a newcomer.
 */
import { expect, type Page } from '@playwright/test';
import { COLD_PROFILE_MS } from '../support/timeouts';

/** Claims a polling Autopilot may send over a whole journey: it waits seconds between them. */
export const MAX_CLAIMS = 25;
/** Requests to any one endpoint over a whole journey: the deployment view polls a few every 4 s. */
export const MAX_PER_ENDPOINT = 300;

export interface Guard {
  problems: string[];
  requests: Map<string, number>;
  count(endpoint: string): number;
  /** Fails naming every page error, console error and runaway endpoint seen. */
  check(): void;
}

/** Watches a page for errors (its own and its workers') and counts requests per endpoint. */
export function guard(page: Page): Guard {
  const problems: string[] = [];
  const requests = new Map<string, number>();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // tfjs reports a backend that fails to start as warnings; a TypeError there is a bug, not a missing GPU.
    if (m.type() === 'error' || (m.type() === 'warning' && /TypeError|ReferenceError/.test(m.text())))
      problems.push(`console ${m.type()}${m.worker() ? ' (worker)' : ''}: ${m.text()}`);
  });
  page.on('request', (r) => {
    const url = new URL(r.url());
    const endpoint = `${r.method()} ${url.pathname.replace(/\/job_[0-9a-f]+/, '/:job')}`;
    requests.set(endpoint, (requests.get(endpoint) ?? 0) + 1);
  });
  return {
    problems,
    requests,
    count: (endpoint) => requests.get(endpoint) ?? 0,
    check() {
      const runaway = [...requests].filter(([, n]) => n > MAX_PER_ENDPOINT).map(([e, n]) => `${e}: ${n} requests`);
      expect([...problems, ...runaway]).toEqual([]);
      expect(requests.get('POST /v1/jobs/claim') ?? 0).toBeLessThanOrEqual(MAX_CLAIMS);
    },
  };
}

export async function navigate(page: Page, label: string): Promise<void> {
  await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: label }).click();
  await expect(page.getByRole('heading', { level: 1, name: label })).toBeVisible();
}

/** A new notebook from the Notebooks view; its pipeline cell (the second) is returned. */
export async function newNotebook(page: Page) {
  await navigate(page, 'Notebooks');
  await page.getByRole('button', { name: '+ New notebook' }).first().click();
  await expect(page).toHaveURL(/#\/notebooks\/[0-9a-f]{16}$/);
  const pipe = page.getByTestId('cell').nth(1);
  await expect(pipe).toHaveAttribute('data-kind', 'pipeline');
  await expect(pipe.getByTestId('columns-status')).toContainText('344 rows · 7 columns', { timeout: COLD_PROFILE_MS });
  await expect(pipe.getByLabel('backend')).toHaveValue('auto');
  return pipe;
}
