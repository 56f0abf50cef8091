/**
 * Every view, in the light and the dark theme (each the system's choice, as a newcomer gets it),
 * scanned with axe-core: no serious or critical violation (WCAG 2.1 AA: contrast, names, roles).
 * Screenshots of each view at 1280 and 420 px wide go to tests/e2e/artifacts/ to be looked at.
 * A model trained by the real CLI is published to the e2e server and recorded in the browser as the
 * notebook would, so Runs, Models and Deployments have something to show.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { strFromU8, unzipSync } from 'fflate';
import { COLD_PROFILE_MS } from '../support/timeouts';

const run = promisify(execFile);
const SHOTS = 'tests/e2e/artifacts';
const MODEL = `a11y-${Date.now().toString(36)}`;
const RUN_ID = 'a11a11a11a110001';
const WIDTHS = [1280, 420] as const;
const THEMES = ['light', 'dark'] as const;

interface Seed {
  run: Record<string, unknown>;
  model: Record<string, unknown> & { bundleB64: string };
}

let work: string;
let seed: Seed;
let notebookId = '';

/** What each view is, where it lives and what shows it has loaded. */
const VIEWS: { name: string; hash: () => string; ready: (page: Page) => Promise<void> }[] = [
  {
    name: 'notebooks',
    hash: () => '#/notebooks',
    ready: (p) => expect(p.getByRole('heading', { level: 1, name: 'Notebooks' })).toBeVisible(),
  },
  {
    name: 'notebook',
    hash: () => `#/notebooks/${notebookId}`,
    ready: (p) =>
      expect(p.getByTestId('cell').nth(1).getByTestId('columns-status')).toContainText('344 rows', {
        timeout: COLD_PROFILE_MS,
      }),
  },
  {
    name: 'data',
    hash: () => '#/data',
    ready: (p) => expect(p.getByTestId('summary')).toContainText('344 rows', { timeout: COLD_PROFILE_MS }),
  },
  { name: 'runs', hash: () => '#/runs', ready: (p) => expect(p.getByTestId('runs').getByRole('row')).toHaveCount(2) },
  {
    name: 'run',
    hash: () => `#/runs/${RUN_ID}`,
    ready: (p) => expect(p.getByTestId('confusion-matrix')).toBeVisible(),
  },
  { name: 'models', hash: () => '#/models', ready: (p) => expect(p.getByTestId('model-group')).toContainText(MODEL) },
  {
    name: 'deployments',
    hash: () => '#/deployments',
    ready: (p) => expect(p.getByTestId('edge-models')).toContainText(MODEL),
  },
  {
    name: 'deployment',
    hash: () => `#/deployments/${MODEL}`,
    ready: (p) => expect(p.getByTestId('try-it')).toBeVisible(),
  },
  { name: 'api', hash: () => '#/api', ready: (p) => expect(p.getByTestId('api-title')).toContainText('operations') },
  {
    name: 'settings',
    hash: () => '#/settings',
    ready: (p) => expect(p.getByRole('radio', { name: /^auto/ })).toBeChecked(),
  },
];

test.beforeAll(async ({ request }) => {
  test.setTimeout(120_000);
  work = await mkdtemp(path.join(tmpdir(), 'flywheel-a11y-'));
  const dir = path.join(work, 'out');
  const specFile = path.join(work, 'spec.json');
  await writeFile(
    specFile,
    JSON.stringify({
      name: MODEL,
      data: 'sample:penguins',
      target: 'Species',
      model: { type: 'mlp' },
      train: { epochs: 6 },
    }),
  );
  const { stdout } = await run(
    'node',
    ['cli/bin.js', 'train', specFile, '--out', dir, '--json', '--data-dir', path.join(work, 'cli')],
    { maxBuffer: 1 << 26 },
  );
  const out = JSON.parse(stdout);
  const zip = await readFile(path.join(dir, 'bundle.zip'));
  const manifest = JSON.parse(strFromU8(unzipSync(new Uint8Array(zip))['manifest.json']));
  const key = (await readFile(`${process.env.E2E_DATA!}/admin.key`, 'utf8')).trim();
  const published = await request.post(`/v1/models/${MODEL}/versions`, {
    data: zip,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/zip' },
  });
  expect(published.status()).toBe(201);
  const at = Date.now() - 60_000;
  seed = {
    run: {
      id: RUN_ID,
      name: out.name,
      spec: manifest.spec,
      status: 'succeeded',
      backend: out.lineage.backend,
      metrics: out.metrics,
      details: out.details,
      gates: out.gates,
      history: out.history,
      lineage: out.lineage,
      warnings: out.warnings,
      bundleId: out.bundle,
      startedAt: at,
      finishedAt: at + 2000,
    },
    model: {
      id: out.bundle,
      name: out.name,
      task: out.task,
      bundleB64: zip.toString('base64'),
      metrics: out.metrics,
      runId: RUN_ID,
      createdAt: at + 2000,
      published: [{ edge: 'This server', version: 1, at: at + 3000 }],
    },
  };
});

test.afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Puts the run and model into the app's IndexedDB (opened by the app first) and makes a notebook through the UI. */
async function prepare(page: Page): Promise<void> {
  await page.goto('/#/notebooks');
  await page.getByRole('button', { name: '+ New notebook' }).first().click();
  await expect(page).toHaveURL(/#\/notebooks\/[0-9a-f]{16}$/);
  notebookId = page.url().split('/').pop()!;
  await page.evaluate(async ({ run: r, model }) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('flywheel');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const tx = db.transaction(['runs', 'models'], 'readwrite');
    tx.objectStore('runs').put(r);
    const { bundleB64, ...rest } = model;
    tx.objectStore('models').put({ ...rest, bundle: Uint8Array.from(atob(bundleB64), (c) => c.charCodeAt(0)).buffer });
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  }, seed);
}

/** The serious and critical WCAG 2.1 A/AA violations axe finds on the page, one line each. */
async function scan(page: Page, name: string, width: number): Promise<string[]> {
  // Observable Plot labels its marks (`<g aria-label="line">`) inside the chart's role="img", whose
  // children assistive technology treats as presentational; the chart's own label is what is read.
  const { violations } = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .exclude('[role="img"] g[aria-label]')
    .analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${name} @${width}px: ${v.id} (${v.impact}) ${v.help}: ${v.nodes
          .slice(0, 3)
          .map((n) => `${n.target.join(' ')} ${n.failureSummary?.split('\n')[1]?.trim() ?? ''}`)
          .join(' | ')}`,
    );
}

for (const theme of THEMES) {
  for (const width of WIDTHS) {
    test(`every view in the ${theme} theme at ${width} px: no serious or critical axe violation, and a screenshot`, async ({
      page,
    }) => {
      test.setTimeout(300_000);
      await page.emulateMedia({ colorScheme: theme });
      await page.setViewportSize({ width, height: 800 });
      const found: string[] = [];
      // The first screen of a fresh browser: the loop and "Start from a sample".
      await page.goto('/');
      await expect(page.getByRole('button', { name: 'Start from a sample' }).last()).toBeVisible();
      found.push(...(await scan(page, 'first-screen', width)));
      await page.screenshot({ path: `${SHOTS}/view-first-screen-${theme}-${width}.png`, fullPage: true });
      await prepare(page);
      for (const view of VIEWS) {
        await page.goto(`/${view.hash()}`);
        await view.ready(page);
        await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
        found.push(...(await scan(page, view.name, width)));
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: `${SHOTS}/view-${view.name}-${theme}-${width}.png`, fullPage: true });
      }
      expect(found).toEqual([]);
    });
  }
}
