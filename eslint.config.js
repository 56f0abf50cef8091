import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'docs', '**/*.svelte', '.flywheel'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // core/ runs in the browser, workers, Node and the edge: Web standards only (DESIGN.md, layout).
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process'], message: 'core/ speaks only Web standards: take the ability as a port.' },
          { group: ['dexie', 'svelte', 'svelte/*', 'hono', 'hono/*', 'better-sqlite3'], message: 'core/ must not depend on a runtime or UI library.' },
        ],
      }],
    },
  },
  {
    files: ['cli/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
