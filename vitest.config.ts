import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['core/**/*.test.ts', 'cli/**/*.test.ts', 'edge/**/*.test.ts', 'workers/**/*.test.ts', 'web/**/*.test.ts', 'tests/contract/**/*.test.ts', 'tests/automation/**/*.test.ts', 'tests/hostile/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
