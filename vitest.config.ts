import { defineConfig } from 'vitest/config';

/** Tests of the training code, run once per tfjs backend that Node has (tests/support/tfjs-backend.ts). */
const MODEL_TESTS = 'core/model/**/*.test.ts';
const NODE_BACKENDS = ['cpu', 'wasm'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'core/**/*.test.ts',
            'cli/**/*.test.ts',
            'edge/**/*.test.ts',
            'workers/**/*.test.ts',
            'web/**/*.test.ts',
            'tests/contract/**/*.test.ts',
            'tests/automation/**/*.test.ts',
            'tests/layers/**/*.test.ts',
            'tests/hostile/**/*.test.ts',
            'tests/reference/**/*.test.ts',
          ],
          exclude: [MODEL_TESTS],
        },
      },
      ...NODE_BACKENDS.map((backend) => ({
        extends: true as const,
        test: { name: `model-${backend}`, include: [MODEL_TESTS], env: { TFJS_BACKEND: backend } },
      })),
    ],
  },
});
