import { defineConfig } from '@playwright/test';

/** Debian's Chromium with the flags in DESIGN.md: WebGPU works on the CPU through SwiftShader. */
const CHROMIUM_ARGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu-sandbox', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--enable-unsafe-swiftshader',
];
/** Overridable so two suites can run side by side on one machine. */
const PORT = Number(process.env.E2E_PORT ?? 8791);
const DATA = process.env.E2E_DATA ?? 'tests/e2e/artifacts/data';

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
