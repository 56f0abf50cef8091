/**
 * Ingest: parse + infer schema + profile, against the bare parse of the same text in the same run
 * (papaparse for CSV, JSON.parse for JSON). Target: profiling costs at most 1.5× the bare parse
 * (ratio ≥ 0.67), and 1M rows × 10 columns stays under 1 GiB resident (measured in a child process).
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { parseDelimited } from '../core/data/parse-delimited';
import { parseJsonRecords } from '../core/data/parse-json';
import { inferSchema, profileTable } from '../core/features';
import { nodeSourceIO } from '../cli/node-io';
import { fmt, markdownTable, timeMedian, type BenchResult } from './harness';

const here = path.dirname(fileURLToPath(import.meta.url));
const GENERATED_ROWS = 1_000_000;

export function generatedCsv(rows: number): string {
  const lines = ['id,a,b,c,d,e,f,cat,city,flag'];
  let s = 12345;
  const rnd = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296;
  const cats = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
  const cities = Array.from({ length: 300 }, (_, i) => `city${i}`);
  for (let i = 0; i < rows; i++) {
    lines.push(
      `${i},${(rnd() * 100).toFixed(3)},${(rnd() * 10 - 5).toFixed(4)},${Math.floor(rnd() * 1000)},${(rnd() ** 2 * 50).toFixed(2)},${rnd() < 0.05 ? '' : (rnd() * 3).toFixed(5)},${Math.floor(rnd() * 7)},${cats[Math.floor(rnd() * 5)]},${cities[Math.floor(rnd() * 300)]},${rnd() < 0.5}`,
    );
  }
  return lines.join('\n') + '\n';
}

function oursCsv(text: string): void {
  const table = parseDelimited(text, 'bench.csv');
  inferSchema(table);
  profileTable(table);
}

function oursJson(text: string): void {
  const table = parseJsonRecords(text, 'bench.json');
  inferSchema(table);
  profileTable(table);
}

export async function bench(): Promise<BenchResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'flywheel-bench-'));
  const flightsJson = new TextDecoder().decode(await nodeSourceIO.readSample('flights-200k.json'));
  const flightsCsv = Papa.unparse(JSON.parse(flightsJson));
  const generated = generatedCsv(GENERATED_ROWS);
  const generatedFile = path.join(dir, 'generated-1m.csv');
  await writeFile(generatedFile, generated);

  const cases: [string, number, string, () => void, () => void][] = [
    ['flights-200k (JSON, 3 cols)', 200_000, 'JSON.parse', () => JSON.parse(flightsJson), () => oursJson(flightsJson)],
    [
      'flights-200k (CSV, 3 cols)',
      200_000,
      'papaparse',
      () => Papa.parse(flightsCsv, { skipEmptyLines: 'greedy' }),
      () => oursCsv(flightsCsv),
    ],
    [
      'generated 1M × 10 (CSV)',
      GENERATED_ROWS,
      'papaparse',
      () => Papa.parse(generated, { skipEmptyLines: 'greedy' }),
      () => oursCsv(generated),
    ],
  ];
  const rows: (string | number)[][] = [];
  for (const [name, n, baselineName, baseline, ours] of cases) {
    const runs = n > 500_000 ? 3 : 5;
    const tBase = await timeMedian(baseline, runs);
    const tOurs = await timeMedian(ours, runs);
    rows.push([
      name,
      `${baselineName}: ${fmt(n / (tBase / 1000))}`,
      fmt(n / (tOurs / 1000)),
      fmt(tBase / tOurs, 2),
      tBase / tOurs >= 0.67 ? '✅' : '❌',
    ]);
  }
  const rssMb = childPeakRss(generatedFile);
  const size = (await readFile(generatedFile)).byteLength / 2 ** 20;
  return {
    title: 'Ingest: parse + schema + profile',
    markdown: [
      "Rows per second of the bare parse (the baseline) and of Flywheel's ingest (parse into columns, infer the schema, profile every column); ratio = baseline time / ingest time, medians of 3–5 runs after a warm-up. Target ≥ 0.67. A ratio above 1 means the columnar ingest is cheaper than the baseline, which keeps one object or string array per row alive (more garbage to collect).",
      '',
      markdownTable(['data', 'baseline rows/s', 'ingest rows/s', 'ratio', 'target'], rows),
      '',
      `Peak resident memory of a fresh process that loads, infers and profiles the generated 1M × 10 CSV (${size.toFixed(0)} MiB on disk): **${rssMb.toFixed(0)} MiB** (target < 1024 MiB) ${rssMb < 1024 ? '✅' : '❌'}.`,
    ].join('\n'),
  };
}

function childPeakRss(file: string): number {
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(here, 'ingest-memory.ts'), file], {
    encoding: 'utf8',
  });
  return Number(out.trim());
}
