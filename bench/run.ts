/**
 * `npm run bench [name...]`: runs every bench/*.bench.ts (or the named ones) and rewrites
 * docs/BENCHMARKS.md, keeping sections of benches that were not run this time.
 */
import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import type { BenchResult } from './harness';

const here = path.dirname(fileURLToPath(import.meta.url));
const docPath = path.join(here, '..', 'docs', 'BENCHMARKS.md');
const MARK = '<!-- bench:';

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const files = (await readdir(here)).filter((f) => f.endsWith('.bench.ts')).sort();
  const chosen = files.filter((f) => only.length === 0 || only.includes(f.replace('.bench.ts', '')));
  const sections = new Map<string, string>(await previousSections());
  for (const file of chosen) {
    const name = file.replace('.bench.ts', '');
    console.error(`bench ${name} …`);
    const mod = (await import(path.join(here, file))) as { bench: () => Promise<BenchResult> };
    const result = await mod.bench();
    console.log(`\n## ${result.title}\n\n${result.markdown}\n`);
    sections.set(name, `${MARK}${name} -->\n## ${result.title}\n\n${result.markdown}\n`);
  }
  const header = `# Benchmarks\n\nWritten by \`npm run bench\` (bench/). Each figure is a ratio against a baseline measured in the same run on the same machine; absolute numbers are for orientation only.\n\nLast machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}.\n\n`;
  await mkdir(path.dirname(docPath), { recursive: true });
  await writeFile(
    docPath,
    header +
      [...sections.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([, s]) => s)
        .join('\n'),
  );
}

async function previousSections(): Promise<[string, string][]> {
  const text = await readFile(docPath, 'utf8').catch(() => '');
  return text
    .split(MARK)
    .slice(1)
    .map((part) => {
      const name = part.slice(0, part.indexOf(' -->'));
      return [name, MARK + part.trimEnd() + '\n'];
    });
}

await main();
