/**
 * The edge under steady mixed load for a few minutes: single-row predicts with routing keys, feedback
 * for a share of them, and every PHASE_S a publish, a canary at CANARY_WEIGHT, then a promotion, as
 * the automated loop would do. The server's heap after a full GC and its resident memory are sampled
 * every SAMPLE_S; the report gives their growth per minute (a least-squares slope over the samples
 * after the warm-up), which must be flat. FLYWHEEL_SOAK_S sets the duration (default 180 s).
 */
import { EdgeClient } from '../core/api/client';
import { startServerChild } from './edge-child';
import { trainBenchBundles } from './edge-models';
import { fmt, markdownTable, type BenchResult } from './harness';

const DURATION_S = Number(process.env.FLYWHEEL_SOAK_S ?? 180);
/** Predicts per second, all clients together: steady, well under what the edge sustains. */
const RATE = 1000;
const CLIENTS = 16;
/** One predict in this many gets feedback for its request id. */
const FEEDBACK_EVERY = 10;
/** Seconds between rollout steps: publish → canary → promote. */
const PHASE_S = 15;
const CANARY_WEIGHT = 0.2;
const SAMPLE_S = 10;
/** Samples taken before this many seconds are the warm-up (JIT, caches filling, SQLite pages) and do not count for the slope. */
const WARMUP_S = 30;
/** Growth per minute that still counts as flat: a few hundred KB of a minute's noise, no leak of a request's worth. */
const FLAT_HEAP_MB_PER_MIN = 1;
const FLAT_RSS_MB_PER_MIN = 4;

const PENGUIN = {
  Island: 'Biscoe',
  'Beak Length (mm)': 47.5,
  'Beak Depth (mm)': 14.2,
  'Flipper Length (mm)': 215,
  'Body Mass (g)': 5300,
  Sex: 'MALE',
};
const LABELS = ['Adelie', 'Chinstrap', 'Gentoo'];
const mb = (bytes: number) => bytes / 2 ** 20;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Sample {
  t: number;
  heapUsed: number;
  rss: number;
  logPending: number;
  predicts: number;
}

/** Least-squares slope of `y` over `x`. */
function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return sxx === 0 ? 0 : sxy / sxx;
}

export async function bench(): Promise<BenchResult> {
  console.error('soak: training bundles …');
  const bundles = await trainBenchBundles(12);
  const versions = [bundles.penguins, ...bundles.many.filter((_, i) => i % 2 === 1)];
  const edge = await startServerChild('edge', ['--expose-gc']);
  const counts = { predicts: 0, feedback: 0, publishes: 0, canaries: 0, promotions: 0, errors: 0 };
  const errors = new Map<string, number>();
  const fail = (what: string) => {
    counts.errors++;
    errors.set(what, (errors.get(what) ?? 0) + 1);
  };
  try {
    const client = new EdgeClient(edge.url, { key: edge.adminKey ?? undefined });
    await client.publish('penguins', versions[0]);
    const started = performance.now();
    const elapsed = () => (performance.now() - started) / 1000;
    const running = () => elapsed() < DURATION_S;
    const headers = {
      'content-type': 'application/json',
      ...(edge.adminKey ? { authorization: `Bearer ${edge.adminKey}` } : {}),
    };
    const body = JSON.stringify({ instances: [PENGUIN] });

    const predictLoop = async (id: number) => {
      const period = (1000 * CLIENTS) / RATE;
      let next = performance.now();
      for (let i = 0; running(); i++) {
        next += period;
        try {
          const res = await fetch(`${edge.url}/v1/models/penguins/predict`, {
            method: 'POST',
            headers: { ...headers, 'x-routing-key': `client-${id}-${i % 97}` },
            body,
          });
          const out = (await res.json()) as { request_ids?: string[] };
          if (!res.ok || !out.request_ids) fail(`predict ${res.status}`);
          else {
            counts.predicts++;
            if (i % FEEDBACK_EVERY === 0) {
              const fb = await fetch(`${edge.url}/v1/models/penguins/feedback`, {
                method: 'POST',
                headers,
                body: JSON.stringify({ items: [{ request_id: out.request_ids[0], label: LABELS[i % 3] }] }),
              });
              await fb.arrayBuffer();
              if (fb.ok) counts.feedback++;
              else fail(`feedback ${fb.status}`);
            }
          }
        } catch (e) {
          fail(`predict ${(e as Error).message}`);
        }
        const wait = next - performance.now();
        if (wait > 0) await sleep(wait);
      }
    };

    const rolloutLoop = async () => {
      for (let step = 1; running(); step++) {
        await sleep(PHASE_S * 1000);
        if (!running()) break;
        try {
          const published = await client.publish('penguins', versions[step % versions.length]);
          counts.publishes++;
          await client.setRollout('penguins', published.version, CANARY_WEIGHT, 'soak: canary');
          counts.canaries++;
          await sleep(PHASE_S * 1000);
          await client.setAlias('penguins', 'champion', published.version, 'soak: promote');
          counts.promotions++;
        } catch (e) {
          fail(`rollout ${(e as Error).message.slice(0, 80)}`);
        }
      }
    };

    const samples: Sample[] = [];
    const sampler = async () => {
      while (running()) {
        await sleep(SAMPLE_S * 1000);
        if (!running()) break;
        const m = (await edge.command('gc')) as { heapUsed: number; logPending: number };
        samples.push({
          t: elapsed(),
          heapUsed: m.heapUsed,
          rss: await edge.rss(),
          logPending: m.logPending,
          predicts: counts.predicts,
        });
        console.error(
          `soak: ${fmt(elapsed(), 0)} s, heap ${fmt(mb(m.heapUsed))} MB, rss ${fmt(mb(samples.at(-1)!.rss))} MB, ${counts.predicts} predicts`,
        );
      }
    };

    console.error(`soak: ${DURATION_S} s of mixed load …`);
    await Promise.all([...Array.from({ length: CLIENTS }, (_, i) => predictLoop(i)), rolloutLoop(), sampler()]);
    const counted = samples.filter((s) => s.t >= WARMUP_S);
    const perMin = (pick: (s: Sample) => number) => 60 * mb(slope(counted.map((s) => ({ x: s.t, y: pick(s) }))));
    const heapSlope = perMin((s) => s.heapUsed);
    const rssSlope = perMin((s) => s.rss);
    const flat = heapSlope < FLAT_HEAP_MB_PER_MIN && rssSlope < FLAT_RSS_MB_PER_MIN;
    const table = markdownTable(
      ['t (s)', 'predicts so far', 'heap after GC (MB)', 'RSS (MB)', 'log rows waiting'],
      samples.map((s) => [fmt(s.t, 0), s.predicts, fmt(mb(s.heapUsed)), fmt(mb(s.rss)), s.logPending]),
    );
    const markdown = [
      `The Node edge (\`startNodeEdge\`, SQLite in a temp folder, a child process) for ${DURATION_S} s under steady mixed load from ${CLIENTS} clients: ${RATE} single-row penguins predicts per second with routing keys, feedback (admin key) for one in ${FEEDBACK_EVERY}, and every ${PHASE_S} s a rollout step — publish a new version, a ${CANARY_WEIGHT * 100} % canary, then promote it to champion. Every ${SAMPLE_S} s the server collects garbage and reports its live heap; its resident memory comes from /proc. Growth per minute is the least-squares slope over the samples after the first ${WARMUP_S} s (the warm-up: JIT, caches and SQLite pages filling).`,
      '',
      table,
      '',
      `- Done: ${counts.predicts} predicts, ${counts.feedback} feedback posts, ${counts.publishes} publishes, ${counts.canaries} canaries, ${counts.promotions} promotions; ${counts.errors} errors${errors.size ? ` (${[...errors].map(([k, v]) => `${k}: ${v}`).join(', ')})` : ''}.`,
      `- Growth per minute: live heap **${fmt(heapSlope)} MB/min** (flat below ${FLAT_HEAP_MB_PER_MIN}), RSS **${fmt(rssSlope)} MB/min** (flat below ${FLAT_RSS_MB_PER_MIN}) ${flat ? '✅ flat' : '❌ growing'}.`,
    ].join('\n');
    return { title: 'Edge: soak under mixed load', markdown };
  } finally {
    await edge.stop();
  }
}
