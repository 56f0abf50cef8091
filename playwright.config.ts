import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CHROMIUM_ARGS } from './tests/support/chromium-args';

/** Overridable so two suites can run side by side on one machine. */
const PORT = Number(process.env.E2E_PORT ?? 8791);
/**
 * A fresh data folder per run unless E2E_DATA names one: a folder kept from an earlier run holds its
 * models and queued jobs, and a runner claims whatever job is queued first. Set in the environment so
 * the test workers (which load this file again) use the same folder as the server.
 */
process.env.E2E_DATA ??= mkdtempSync(path.join(tmpdir(), 'flywheel-e2e-'));
const DATA = process.env.E2E_DATA;

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'tests/e2e/artifacts/results',
  timeout: 120_000,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: `http://localhost:${PORT}`,
    viewport: { width: 1280, height: 800 },
    screenshot: 'on',
    launchOptions: { executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS },
  },
  webServer: {
    // The built app from the real Node server, as `npm start` serves it, on a throwaway data folder.
    command: `node cli/bin.js start --port ${PORT} --data ${DATA}`,
    url: `http://localhost:${PORT}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
