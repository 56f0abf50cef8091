import { ESLint } from 'eslint';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = path.join(import.meta.dirname, '..', '..');
/**
 * The probes exist only in memory, outside the TypeScript program that type-aware rules read: those
 * rules (not what these tests check) are switched off, and the layer rules run as configured.
 */
const eslint = new ESLint({
  cwd: repoRoot,
  overrideConfig: {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { project: null } },
    rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off' },
  },
});

/** The rules ESLint reports for `code` as if it were the file at `file` (relative to the repository). */
async function violations(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(repoRoot, file) });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('the layers hold by themselves', () => {
  it('core/ may not import the edge, Node, or use Node and page globals', async () => {
    const found = await violations(
      'core/probe.ts',
      "import { createEdge } from '../edge/app';\nimport { readFile } from 'node:fs';\nimport path from 'path';\nexport const probe = [createEdge, readFile, path, Buffer.from(''), process.env, document.title];\n",
    );
    expect(found).toHaveLength(6);
    expect(found.join('\n')).toMatch(/'\.\.\/edge\/app'.*innermost/);
    expect(found.join('\n')).toMatch(/'node:fs'/);
    expect(found.join('\n')).toMatch(/'path'/);
    expect(found.join('\n')).toMatch(/'Buffer'/);
    expect(found.join('\n')).toMatch(/'process'/);
    expect(found.join('\n')).toMatch(/'document'/);
  });

  it('the edge may not import the app or its own runtime adapters, and only its Node adapters use Node', async () => {
    expect(
      await violations(
        'edge/routes/probe.ts',
        "import { db } from '../../web/lib/db';\nimport { startNodeEdge } from '../runtime/node';\nimport { readFile } from 'node:fs/promises';\nexport const probe = [db, startNodeEdge, readFile];\n",
      ),
    ).toHaveLength(3);
    expect(
      await violations(
        'edge/runtime/node-probe.ts',
        "import { readFile } from 'node:fs/promises';\nimport { createEdge } from '../app';\nexport const probe = [readFile, createEdge];\n",
      ),
    ).toEqual([]);
  });

  it('workers/ and web/ (components too) never import the edge or the CLI; the CLI never imports the app', async () => {
    expect(
      await violations(
        'workers/probe.ts',
        "import { createEdge } from '../edge/app';\nexport const probe = createEdge;\n",
      ),
    ).toHaveLength(1);
    expect(
      await violations('web/lib/probe.ts', "import { main } from '../../cli/main';\nexport const probe = main;\n"),
    ).toHaveLength(1);
    const component =
      "<script lang=\"ts\">\n  import { createEdge } from '../../edge/app';\n  const bytes = Buffer.from('');\n</script>\n<p>{String(createEdge)}{bytes.length}</p>\n";
    expect(await violations('web/views/Probe.svelte', component)).toEqual([
      expect.stringMatching(/^no-restricted-imports: .*never by import/),
      expect.stringMatching(/^no-restricted-globals: Unexpected use of 'Buffer'/),
    ]);
    expect(
      await violations('cli/probe.ts', "import { db } from '../web/lib/db';\nexport const probe = db;\n"),
    ).toHaveLength(1);
  });

  it('tests may import anything', async () => {
    expect(
      await violations(
        'core/probe.test.ts',
        "import { createEdge } from '../edge/app';\nimport { readFile } from 'node:fs';\nexport const probe = [createEdge, readFile, Buffer.from('')];\n",
      ),
    ).toEqual([]);
  });
});
