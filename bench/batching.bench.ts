/**
 * Dynamic batching at the edge (issue 19, edge/batching.ts), under load: the penguins classifier
 * (small: a batch saves little kernel time per row) and a 100-256-256-10 classifier (wide: it saves
 * several µs per row), each served by an edge with FLYWHEEL_BATCH=off, =on and the default (auto),
 * single-row requests from 50 connections, in alternating rounds with a Hono hello world (the edge
 * bench's baseline, so the default single-row path can be held against that bench's figures).
 * Every server runs in its own process (bench/edge-server.ts); autocannon drives them from here.
 */
import { EdgeClient } from '../core/api/client';
import { startServerChild, type ServerChild } from './edge-child';
import { load, WARMUP_SECONDS, type LoadOptions, type LoadResult } from './edge-load';
import { trainBenchBundles, trainWideBundle, wideRows } from './edge-models';
import { MIN_SAVING_US } from '../edge/batching';
import { fmt, markdownTable, type BenchResult } from './harness';
import os from 'node:os';

const CONNECTIONS = 50;
const DURATION_S = Number(process.env.BATCH_BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BATCH_BENCH_ROUNDS ?? 3);

const PENGUIN = {
  Island: 'Biscoe',
  'Beak Length (mm)': 47.5,
  'Beak Depth (mm)': 14.2,
  'Flipper Length (mm)': 215,
  'Body Mass (g)': 5300,
  Sex: 'MALE',
};

type Mode = 'off' | 'on' | 'auto';
interface Run {
  label: string;
  server: 'hello' | Mode;
  model: 'penguins' | 'wide' | null;
}

const RUNS: Run[] = [
  { label: 'Hono hello world (`GET /`)', server: 'hello', model: null },
  { label: 'penguins, default (auto)', server: 'auto', model: 'penguins' },
  { label: 'penguins, batching off', server: 'off', model: 'penguins' },
  { label: 'penguins, batching on', server: 'on', model: 'penguins' },
  { label: '100-256-256-10, default (auto)', server: 'auto', model: 'wide' },
  { label: '100-256-256-10, batching off', server: 'off', model: 'wide' },
  { label: '100-256-256-10, batching on', server: 'on', model: 'wide' },
];

interface BatchingAnswer {
  batches: number;
  requests: number;
  batched: boolean | null;
  batchCost: { singleUs: number; batchedUs: number } | null;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function bench(): Promise<BenchResult> {
  const { penguins } = await trainBenchBundles(0);
  const wide = await trainWideBundle();
  const wideRow = wideRows(1, 7)[0];
  const servers = new Map<'hello' | Mode, ServerChild>();
  try {
    servers.set('hello', await startServerChild('hello'));
    for (const mode of ['off', 'on', 'auto'] as const) {
      const child = await startServerChild('edge', [], 'bundled', { FLYWHEEL_BATCH: mode });
      servers.set(mode, child);
      const client = new EdgeClient(child.url, { key: child.adminKey! });
      await client.publish('penguins', penguins);
      await client.publish('wide', wide);
      await client.predict('penguins', [PENGUIN]);
      await client.predict('wide', [wideRow]);
    }
    const decisions = {
      penguins: (await servers.get('auto')!.command('batching penguins@1')) as unknown as BatchingAnswer,
      wide: (await servers.get('auto')!.command('batching wide@1')) as unknown as BatchingAnswer,
    };
    const results = new Map<string, LoadResult[]>(RUNS.map((r) => [r.label, []]));
    const perCall = new Map<string, number[]>(RUNS.map((r) => [r.label, []]));
    const loadAverage = os.loadavg()[0];
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? RUNS : [...RUNS].reverse();
      for (const run of order) {
        const child = servers.get(run.server)!;
        const options: LoadOptions =
          run.model === null
            ? { url: child.url, connections: CONNECTIONS, duration: DURATION_S }
            : {
                url: `${child.url}/v1/models/${run.model}/predict`,
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ instances: [run.model === 'wide' ? wideRow : PENGUIN] }),
                connections: CONNECTIONS,
                duration: DURATION_S,
              };
        options.serverCpu = child.cpuSeconds;
        const stat = run.model ? `batching ${run.model}@1` : null;
        const before = stat ? ((await child.command(stat)) as unknown as BatchingAnswer) : null;
        const result = await load(options);
        if (stat && before) {
          const after = (await child.command(stat)) as unknown as BatchingAnswer;
          if (after.batches > before.batches)
            perCall.get(run.label)!.push((after.requests - before.requests) / (after.batches - before.batches));
        }
        if (result.failures > 0) throw new Error(`${run.label}: ${result.failures} failed requests`);
        results.get(run.label)!.push(result);
        console.error(`  round ${round + 1} ${run.label}: ${fmt(result.reqPerSec)} req/s, p99 ${fmt(result.p99)} ms`);
      }
    }
    return { title: 'Edge: dynamic batching of concurrent requests (issue 19)', markdown: report() };

    function report(): string {
      const summary = new Map(
        RUNS.map((r) => {
          const runs = results.get(r.label)!;
          return [
            r.label,
            {
              reqPerSec: Math.max(...runs.map((x) => x.reqPerSec)),
              p99: median(runs.map((x) => x.p99)),
              cpu: median(runs.map((x) => x.cpuPerRequestUs!)),
              perCall: perCall.get(r.label)!.length ? median(perCall.get(r.label)!) : null,
            },
          ];
        }),
      );
      const hello = summary.get(RUNS[0].label)!;
      const rows = RUNS.map((r) => {
        const s = summary.get(r.label)!;
        return [
          r.label,
          fmt(s.reqPerSec),
          r.model ? `${fmt(s.reqPerSec / hello.reqPerSec)}×` : '1.00×',
          fmt(s.p99),
          fmt(s.cpu, 0),
          r.model ? `${fmt(s.cpu / hello.cpu)}×` : '1.00×',
          s.perCall === null ? '—' : fmt(s.perCall, 1),
        ];
      });
      const ratio = (model: 'penguins' | 'wide', prefix: string) => {
        const on = summary.get(`${prefix}, batching on`)!;
        const off = summary.get(`${prefix}, batching off`)!;
        const auto = summary.get(`${prefix}, default (auto)`)!;
        return { on, off, auto, model };
      };
      const verdict = (prefix: string, r: ReturnType<typeof ratio>) => {
        const gain = r.on.reqPerSec / r.off.reqPerSec;
        const pays = gain >= 1.03 && r.on.cpu < r.off.cpu;
        return `- ${prefix}: batching on / off **${fmt(gain)}×** req/s, p99 ${fmt(r.on.p99)} ms against ${fmt(r.off.p99)} ms, server CPU ${fmt(r.on.cpu, 0)} µs/request against ${fmt(r.off.cpu, 0)} (${fmt(r.on.perCall ?? 0, 1)} requests per kernel call, median of rounds): ${pays ? 'it pays here' : 'it does not pay here'}. The default (auto) decided ${decisionText(r.model)}, and served ${fmt(r.auto.reqPerSec / r.off.reqPerSec)}× the req/s of batching off.`;
      };
      const decisionText = (model: 'penguins' | 'wide') => {
        const d = decisions[model];
        const c = d.batchCost!;
        return `**${d.batched ? 'on' : 'off'}** (kernel timed at load: ${fmt(c.singleUs)} µs for one row, ${fmt(c.batchedUs)} µs per row in a batch of 8; saving ${fmt(c.singleUs - c.batchedUs)} µs against the ${MIN_SAVING_US} µs it needs)`;
      };
      return [
        `Servers: the Node edge (\`startNodeEdge\`, SQLite, prediction log and telemetry on) with \`FLYWHEEL_BATCH\` off, on and unset (auto), and a Hono hello world, each in its own process; autocannon from the bench process, ${CONNECTIONS} connections, ${DURATION_S} s measured after ${WARMUP_SECONDS} s of warm-up, single-row \`POST /v1/models/{name}/predict\`; ${ROUNDS} rounds alternating every configuration (order reversed every other round): best round's req/s, median round's p99 and server CPU per request (/proc/<pid>/stat, user + system). Requests per kernel call: requests served by the batcher over its kernel calls during a run. Servers and load generator share this machine's ${os.cpus().length} cores (1-minute load average ${fmt(loadAverage)} at the start).`,
        '',
        markdownTable(
          [
            'run',
            'req/s',
            'vs hello world',
            'p99 ms',
            'server CPU µs/req',
            'vs hello world (CPU)',
            'requests per kernel call',
          ],
          rows,
        ),
        '',
        verdict('Penguins (small)', ratio('penguins', 'penguins')),
        verdict('100-256-256-10 (wide)', ratio('wide', '100-256-256-10')),
        `- The setting: \`FLYWHEEL_BATCH=auto|on|off\` on Node (\`batching\` in startNodeEdge's options; unset: auto). Auto times each version's kernel as it loads (one row against a batch of 8, after a warm-up, fastest of 7 rounds) and batches it when the batch saves at least ${MIN_SAVING_US} µs per row: the server CPU the batched path adds per request (its promise, the deferred run, the split) as this table measures it, with room for noise. Workers never batch (edge/runtime/worker.ts says why).`,
        `- The default single-row path (penguins, auto → ${decisions.penguins.batched ? 'on' : 'off'}): ${fmt(summary.get('penguins, default (auto)')!.reqPerSec / hello.reqPerSec)}× hello world in req/s and ${fmt(summary.get('penguins, default (auto)')!.cpu / hello.cpu)}× in CPU per request; the edge bench's penguins row (same stack, same baseline) is the figure to hold it against.`,
      ].join('\n');
    }
  } finally {
    for (const child of servers.values()) await child.stop();
  }
}
