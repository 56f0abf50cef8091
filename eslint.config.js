import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';

/**
 * The layers and what each may import (docs/ARCHITECTURE.md has the same table):
 *   core ← workers, edge, cli ← web (web reaches workers through comlink only);
 *   edge/runtime/* adapters import inward (edge, core), never the other way.
 * Tests and benches may import anything.
 */
const TESTS = ['**/*.test.ts', '**/*.contract.ts', 'tests/**', 'bench/**'];
/** Node's built-in modules by their bare names (exact matches: a pattern would also catch ./http). */
const NODE_BUILTIN_NAMES = [
  'fs',
  'fs/promises',
  'path',
  'os',
  'crypto',
  'child_process',
  'http',
  'net',
  'worker_threads',
  'zlib',
  'url',
  'util',
  'stream',
  'buffer',
];
const NODE_MESSAGE =
  'Web standards only here: take the ability as a port, or put the code in a Node adapter (edge/runtime/node*, cli/).';
const nodeBuiltins = NODE_BUILTIN_NAMES.map((name) => ({ name, message: NODE_MESSAGE }));
const layer = (name) => [`../${name}`, `../${name}/**`, `../../${name}`, `../../${name}/**`, `../../../${name}/**`];
const nodeOnly = { group: ['node:*'], message: NODE_MESSAGE };
/** Globals that exist on Node (or only in a page) and would tie Web-standard code to one runtime. */
const notWebStandard = [
  { name: 'Buffer', message: 'Use Uint8Array and TextEncoder/TextDecoder.' },
  { name: 'process', message: 'Take settings as arguments or ports.' },
  { name: '__dirname', message: 'Not in ES modules or the Web.' },
  { name: 'require', message: 'Use import.' },
];
const noPage = [
  { name: 'document', message: 'No DOM outside web/.' },
  { name: 'window', message: 'No DOM outside web/: use globalThis.' },
];

/** The edge's Node adapters: the only edge files that may use Node's modules and globals. */
const EDGE_NODE_ADAPTERS = [
  'edge/runtime/node*',
  'edge/store/sqlite*.ts',
  'edge/store/node-migrations.ts',
  'edge/store/atomic-write.ts',
  'edge/store/disk-blob.ts',
  'edge/store/data-dir.ts',
];
const EDGE_IMPORTS_CORE_ONLY = {
  group: [...layer('workers'), ...layer('web'), ...layer('cli')],
  message: 'edge/ imports core/ only.',
};

/** A Web-standard layer's rules: no Node modules, the layer's own import patterns, and the globals it may not use. */
function webStandard(files, ignores, patterns, globals) {
  return {
    files: [files],
    ignores: [...TESTS, ...ignores],
    rules: {
      'no-restricted-imports': ['error', { paths: nodeBuiltins, patterns: [nodeOnly, ...patterns] }],
      'no-restricted-globals': ['error', ...globals],
    },
  };
}

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'docs', '.flywheel', 'tests/e2e/artifacts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    // Svelte components (and .svelte.ts modules with runes) are TypeScript that runs in the page.
    files: ['web/**/*.svelte', 'web/**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
    rules: {
      // svelte-check resolves names with TypeScript; ESLint's no-undef would not know the DOM's.
      'no-undef': 'off',
      // Reactive state here is $state replaced whole; the Maps and Sets it flags are locals and
      // private bookkeeping that no template reads, where SvelteMap would only add tracking.
      'svelte/prefer-svelte-reactivity': 'off',
      // `{'\n'}` inside <pre> says what it is; a bare newline there is easy to lose.
      'svelte/no-useless-mustaches': ['error', { ignoreStringEscape: true }],
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Rules that need types: a promise nobody awaits loses its error, and one handed to a place that
    // expects a plain function (an event handler, a forEach) is never awaited either. One program for
    // the whole tree (the root tsconfig.json) keeps this to a single type check.
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  // core/ runs in the browser, workers, Node and the edge: Web standards only.
  webStandard(
    'core/**/*.ts',
    [],
    [
      {
        group: ['dexie', 'svelte', 'svelte/*', 'hono', 'hono/*', 'better-sqlite3', 'comlink'],
        message: 'core/ must not depend on a runtime or UI library.',
      },
      {
        group: [...layer('edge'), ...layer('workers'), ...layer('web'), ...layer('cli')],
        message: 'core/ is the innermost layer: it imports nothing outside core/.',
      },
    ],
    [...notWebStandard, ...noPage],
  ),
  webStandard(
    'workers/**/*.ts',
    [],
    [{ group: [...layer('edge'), ...layer('web'), ...layer('cli')], message: 'workers/ import core/ only.' }],
    [...notWebStandard, ...noPage],
  ),
  // The edge runs on Node and on Workers: Web standards, except the Node adapters (and its build script).
  webStandard(
    'edge/**/*.ts',
    [...EDGE_NODE_ADAPTERS, 'edge/build-worker.ts'],
    [
      { group: ['dexie', 'svelte', 'svelte/*', 'comlink'], message: 'edge/ must not depend on the app.' },
      EDGE_IMPORTS_CORE_ONLY,
      { group: ['./runtime/*', '../runtime/*'], message: 'Runtime adapters import the edge, not the other way.' },
    ],
    [...notWebStandard, ...noPage],
  ),
  {
    files: EDGE_NODE_ADAPTERS,
    ignores: TESTS,
    rules: { 'no-restricted-imports': ['error', { patterns: [EDGE_IMPORTS_CORE_ONLY] }] },
  },
  {
    files: ['cli/**/*.ts'],
    ignores: TESTS,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: [...layer('workers'), ...layer('web')], message: 'cli/ imports core/ and edge/ only.' }],
        },
      ],
    },
  },
  webStandard(
    'web/**/*.{ts,svelte}',
    [],
    [
      {
        group: [...layer('edge'), ...layer('cli')],
        message: 'web/ talks to the edge over HTTP (core/api/client), never by import.',
      },
    ],
    notWebStandard,
  ),
  {
    files: ['cli/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
