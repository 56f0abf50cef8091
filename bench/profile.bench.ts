/**
 * `flywheel profile` against pandas on the 1M × 10 CSV of bench/ingest, as a user runs each: a fresh
 * process per run, alternating, wall time and peak RSS measured from outside by the same Python
 * parent (`resource.RUSAGE_CHILDREN`). pandas runs `read_csv` + `describe(include="all")` (Debian's
 * python3-pandas); its time is reported with and without the interpreter and `import pandas`, and the
 * target is set against the smaller one. Flywheel runs the built CLI (build/bundle-cli.ts).
 * Targets (issue 19): wall ≤ pandas, peak RSS ≤ 1.5 × pandas'.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleCli } from '../build/bundle-cli';
import { fmt, markdownTable, type BenchResult } from './harness';
import { generatedCsv } from './ingest.bench';

const root = path.join(import.meta.dirname, '..');
const ROWS = 1_000_000;
/** Alternating rounds; each is one pandas and one Flywheel process. */
const ROUNDS = 9;
const PYTHON = '/usr/bin/python3';

/**
 * Runs argv as a child of Python and prints `wall_seconds peak_rss_bytes` and then what the child
 * wrote on stderr (ru_maxrss is in KiB on Linux; RUSAGE_CHILDREN: the largest child, the only one).
 */
const MEASURE = `
import resource, subprocess, sys, time
t = time.perf_counter()
r = subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024, r.stderr.strip())
`;

/** pandas' own work, timed inside the process after the import, and its median of id, on stderr. */
const PANDAS = `
import sys, time
import pandas as pd
t = time.perf_counter()
d = pd.read_csv(sys.argv[1]).describe(include="all")
print(time.perf_counter() - t, d.loc["50%", "id"], file=sys.stderr)
`;

interface Run {
  wall: number;
  rss: number;
  /** What the child printed on stderr, split on whitespace. */
  said: string[];
}

function measure(argv: string[]): Run {
  const [wall, rss, ...said] = execFileSync(PYTHON, ['-c', MEASURE, ...argv], { encoding: 'utf8' })
    .trim()
    .split(/\s+/);
  return { wall: Number(wall), rss: Number(rss), said };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function bench(): Promise<BenchResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'flywheel-profile-bench-'));
  const file = path.join(dir, 'generated-1m.csv');
  await writeFile(file, generatedCsv(ROWS));
  await bundleCli();
  const pandasScript = path.join(dir, 'pandas_describe.py');
  await writeFile(pandasScript, PANDAS);

  const pandas: Run[] = [];
  const ours: Run[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    pandas.push(measure([PYTHON, pandasScript, file]));
    ours.push(measure([process.execPath, path.join(root, 'cli', 'bin.js'), 'profile', file]));
  }
  const json = JSON.parse(
    execFileSync(process.execPath, [path.join(root, 'cli', 'bin.js'), 'profile', file, '--json'], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    }),
  );
  const id = json.profile.columns.find((c: { name: string }) => c.name === 'id');
  await rm(dir, { recursive: true, force: true });

  const pWall = median(pandas.map((r) => r.wall));
  const pWork = median(pandas.map((r) => Number(r.said[0])));
  const oWall = median(ours.map((r) => r.wall));
  const best = (xs: number[]) => Math.min(...xs);
  const pWallBest = best(pandas.map((r) => r.wall));
  const pWorkBest = best(pandas.map((r) => Number(r.said[0])));
  const oWallBest = best(ours.map((r) => r.wall));
  const pRss = median(pandas.map((r) => r.rss)) / 2 ** 20;
  const oRss = median(ours.map((r) => r.rss)) / 2 ** 20;
  const wallRow = (measure: string, peer: number, peerBest: number) => [
    measure,
    fmt(peer),
    fmt(oWall),
    fmt(oWall / peer, 2),
    fmt(peerBest),
    fmt(oWallBest),
    fmt(oWallBest / peerBest, 2),
    `≤ 1 ${oWall <= peer ? '✅' : '❌'}`,
  ];
  const rows = [
    wallRow('wall time, whole process (s)', pWall, pWallBest),
    wallRow('wall time vs pandas read_csv + describe only (s)', pWork, pWorkBest),
    [
      'peak RSS (MiB)',
      fmt(pRss, 0),
      fmt(oRss, 0),
      fmt(oRss / pRss, 2),
      '',
      '',
      '',
      `≤ 1.5 ${oRss <= 1.5 * pRss ? '✅' : '❌'}`,
    ],
  ];
  return {
    title: 'Profile: flywheel profile vs pandas read_csv + describe',
    markdown: [
      `Measured ${new Date().toISOString().slice(0, 10)}. The ${ROWS.toLocaleString('en-US')} × 10 CSV of bench/ingest, one fresh process per run, ${ROUNDS} alternating rounds, medians and the best (fastest) round of each; wall time and peak RSS measured from outside by the same Python parent. pandas: Debian's python3-pandas, \`read_csv\` + \`describe(include="all")\`; "only" is its own timing after the interpreter started and imported pandas. Flywheel: the built CLI (\`node cli/bin.js profile FILE\`), start-up included. Ratio = Flywheel ÷ pandas (lower is better).`,
      '',
      markdownTable(
        ['measure', 'pandas', 'flywheel', 'ratio', 'pandas, best', 'flywheel, best', 'ratio, best', 'target (medians)'],
        rows,
      ),
      '',
      `Median of \`id\` (0 … 999,999): pandas ${pandas[0].said[1]}, Flywheel ${id.quantiles['0.5']} (${id.quantilesExact ? 'exact' : 'from the sketch'}).`,
    ].join('\n'),
  };
}
