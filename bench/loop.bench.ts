/**
 * One full automated loop — trigger → retrain → verify → canary (two steps) → promotion — on
 * seattle-weather, timed from the tick that fires the trigger to the tick that promotes. The waiting
 * a policy asks for (minDuration) is skipped with an injected clock; what is left is the work. The
 * baseline, measured in the same run, is the bare retrain (runPipeline on the same rows): the ratio
 * says what automation adds on top of training.
 */
import { runPipeline } from '../core/pipeline';
import { nodeSourceIO } from '../cli/node-io';
import { MINUTE, seattleFiles, serveWithFeedback, startLoop, trainBundle } from '../tests/automation/harness';
import { fmt, markdownTable, type BenchResult } from './harness';

export async function bench(): Promise<BenchResult> {
  const loop = await startLoop();
  try {
    const { early, late } = await seattleFiles(loop.dir);
    const spec = { name: 'weather', data: early, target: 'weather', model: { type: 'mlp' }, train: { epochs: 30 } };
    await loop.admin.publish('weather', await trainBundle(spec));
    await loop.admin.setPolicy('weather', {
      triggers: { driftFeatures: ['date'] },
      gates: [{ metric: 'accuracy', vsChampion: { minDelta: -0.05 } }],
      rollout: {
        steps: [0.5, 1],
        minRequests: 15,
        minDuration: '1m',
        guardrails: { maxErrorRateDelta: 0.05, maxP95Ratio: 20, minOnlineMetricDelta: -0.3 },
      },
    });
    await serveWithFeedback(loop.admin, 'weather', late.slice(0, 300), 'weather');
    const marks: [string, number][] = [];
    const t0 = performance.now();
    const mark = (name: string) => marks.push([name, performance.now() - t0]);
    await loop.tick();
    mark('trigger fired, job queued');
    const [outcome] = await loop.agent();
    mark(`retrained and published (${outcome.status})`);
    await loop.tick();
    mark('verified, canary at 50%');
    await serveWithFeedback(loop.admin, 'weather', late.slice(300, 400), 'weather');
    loop.clock.now += 2 * MINUTE;
    await loop.tick();
    mark('100%');
    await serveWithFeedback(loop.admin, 'weather', late.slice(400, 440), 'weather');
    loop.clock.now += 2 * MINUTE;
    await loop.tick();
    mark('promoted');
    const total = performance.now() - t0;
    const promoted = (await loop.admin.model('weather')).aliases.champion === 2;
    const t1 = performance.now();
    await runPipeline(spec, { io: nodeSourceIO, backend: 'cpu', codeVersion: 'bench' });
    const train = performance.now() - t1;
    return {
      title: 'The automated loop (trigger → promotion)',
      markdown: [
        `seattle-weather: champion trained on 2012–2013; 300 rows of 2014 served with feedback; policy: drift on \`date\`, gate accuracy vs champion (−0.05), canary 50% → 100% with 15 requests per step (the 1-minute step waits are skipped with an injected clock, and the 140 canary requests' time is included). Node edge + in-process agent on the tfjs CPU backend.`,
        '',
        markdownTable(
          ['milestone', 'ms since the trigger tick'],
          marks.map(([n, ms]) => [n, fmt(ms, 0)]),
        ),
        '',
        `Promoted: ${promoted ? 'yes ✅' : 'no ❌'}. Whole loop ${fmt(total / 1000, 1)} s of work; the bare retrain alone (baseline, same spec, same backend) takes ${fmt(train / 1000, 1)} s — the loop costs **${fmt(total / train, 2)}×** a retrain. In production the policy's waits (\`minDuration\` per step, the tick interval of 5 s) add to this.`,
      ].join('\n'),
    };
  } finally {
    await loop.close();
  }
}
