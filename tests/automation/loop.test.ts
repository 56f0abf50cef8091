/**
 * The loop with no human in it, end to end on a real Node edge, a real agent and real training, with
 * an injected clock so minutes pass in milliseconds: trigger → retrain → verify → canary → promote,
 * and the ways it must refuse, roll back, survive a restart and share work between runners.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Papa from 'papaparse';
import { afterEach, describe, expect, it } from 'vitest';
import { LEASE_MS } from '../../edge/automation/jobs';
import { refusedVersions, timeline } from '../../web/views/deployments/event-cycles';
import { runAgent } from '../../core/automation/runner';
import { nodeSourceIO } from '../../cli/node-io';
import { MINUTE, seattleFiles, serveWithFeedback, startLoop, trainBundle, type Loop } from './harness';

let loop: Loop | null = null;
afterEach(async () => {
  await loop?.close();
  loop = null;
});

const CANARY = {
  steps: [0.5, 1],
  minRequests: 15,
  minDuration: '1m',
  guardrails: { maxErrorRateDelta: 0.05, maxP95Ratio: 20, minOnlineMetricDelta: -0.1 },
};

async function penguinsLoop(policy: object): Promise<{ loop: Loop; file: string; rows: Record<string, unknown>[] }> {
  const l = await startLoop();
  const csv = Papa.unparse(
    (await import('../../node_modules/vega-datasets/data/penguins.json', { with: { type: 'json' } })).default as Record<
      string,
      unknown
    >[],
  );
  const file = path.join(l.dir, 'penguins.csv');
  await writeFile(file, csv);
  await l.admin.publish(
    'penguins',
    await trainBundle({
      name: 'penguins',
      data: file,
      target: 'Species',
      model: { type: 'mlp' },
      train: { epochs: 25 },
    }),
  );
  await l.admin.setPolicy('penguins', { gates: [{ metric: 'accuracy', vsChampion: { minDelta: -0.03 } }], ...policy });
  const rows = Papa.parse<Record<string, unknown>>(csv, {
    header: true,
    dynamicTyping: true,
    skipEmptyLines: true,
  }).data.filter((r) => r.Sex !== null);
  return { loop: l, file, rows };
}

describe('the automated loop', () => {
  it('seattle-weather: drift in 2014–2015 → retrain → verify → canary → promoted, and the events tell the story', async () => {
    loop = await startLoop();
    const { early, late } = await seattleFiles(loop.dir);
    await loop.admin.publish(
      'weather',
      await trainBundle({
        name: 'weather',
        data: early,
        target: 'weather',
        model: { type: 'mlp' },
        train: { epochs: 30 },
      }),
    );
    await loop.admin.setPolicy('weather', {
      triggers: { driftFeatures: ['date'], onlineMetric: { metric: 'accuracy', below: 0.9, minFeedback: 100 } },
      gates: [{ metric: 'accuracy', vsChampion: { minDelta: -0.05 } }],
      rollout: { ...CANARY, guardrails: { ...CANARY.guardrails, minOnlineMetricDelta: -0.3 } },
    });
    await serveWithFeedback(loop.admin, 'weather', late.slice(0, 300), 'weather');
    await loop.tick();
    expect((await loop.events('weather')).some((e) => e.startsWith('trigger: '))).toBe(true);
    const [outcome] = await loop.agent();
    expect(outcome).toMatchObject({ status: 'succeeded', version: 2 });
    await loop.tick();
    expect((await loop.admin.model('weather')).rollout).toEqual({ challenger: 2, weight: 0.5 });
    await serveWithFeedback(loop.admin, 'weather', late.slice(300, 400), 'weather');
    loop.clock.now += 2 * MINUTE;
    await loop.tick();
    expect((await loop.admin.model('weather')).rollout).toEqual({ challenger: 2, weight: 1 });
    await serveWithFeedback(loop.admin, 'weather', late.slice(400, 440), 'weather');
    loop.clock.now += 2 * MINUTE;
    await loop.tick();
    const info = await loop.admin.model('weather');
    expect(info.aliases.champion).toBe(2);
    expect(info.rollout).toBeNull();
    expect((await loop.admin.predict('weather', [late[500]])).model_version).toBe(2);
    const story = (await loop.events('weather')).map((e) => e.split(':')[0]);
    expect(story).toEqual(
      expect.arrayContaining([
        'publish',
        'policy',
        'trigger',
        'job',
        'job_claimed',
        'job_done',
        'verify',
        'rollout_step',
        'promote',
      ]),
    );
    const order = ['trigger', 'job_claimed', 'job_done', 'verify', 'promote'].map((t) => story.indexOf(t));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('refuses a sabotaged challenger (shuffled labels) at verification; the champion keeps serving', async () => {
    const { loop: l, file, rows } = await penguinsLoop({ triggers: { newFeedback: 20 }, rollout: CANARY });
    loop = l;
    await serveWithFeedback(l.admin, 'penguins', rows.slice(0, 120), 'Species');
    await l.tick();
    // Sabotage the training data the job will read: labels shuffled.
    const data = Papa.parse<Record<string, unknown>>(await readFile(file, 'utf8'), { header: true }).data;
    const labels = data.map((r) => r.Species);
    data.forEach((r, i) => (r.Species = labels[(i * 7919) % labels.length]));
    await writeFile(file, Papa.unparse(data));
    expect((await l.agent())[0]).toMatchObject({ status: 'succeeded', version: 2 });
    await l.tick();
    const events = await l.events('penguins');
    expect(events.find((e) => e.startsWith('verify: '))).toMatch(
      /^verify: v2 refused at verification; v1 keeps serving: /,
    );
    // The web app's versions list and timeline read the refusal from the events as the edge writes them.
    const raw = (await l.admin.events('penguins')).events;
    expect([...refusedVersions(raw).keys()]).toEqual([2]);
    const cycle = timeline(raw).find((t) => t.kind === 'cycle');
    expect(
      cycle?.kind === 'cycle' && {
        version: cycle.cycle.version,
        outcome: cycle.cycle.outcome,
        verified: cycle.cycle.verify !== null,
      },
    ).toEqual({ version: 2, outcome: 'refused', verified: true });
    const info = await l.admin.model('penguins');
    expect(info.aliases.champion).toBe(1);
    expect(info.rollout).toBeNull();
    expect((await l.admin.predict('penguins', [rows[0]])).model_version).toBe(1);
  });

  it('rolls back a challenger that passes offline but fails online, within one step', async () => {
    const { loop: l, rows } = await penguinsLoop({
      triggers: { newFeedback: 20 },
      rollout: { ...CANARY, guardrails: { ...CANARY.guardrails, minOnlineMetricDelta: -0.05 } },
    });
    loop = l;
    await serveWithFeedback(l.admin, 'penguins', rows.slice(0, 30), 'Species');
    await l.tick();
    await l.agent();
    await l.tick();
    expect((await l.admin.model('penguins')).rollout).toEqual({ challenger: 2, weight: 0.5 });
    // Online, the challenger's answers turn out wrong; the champion's right.
    await serveWithFeedback(l.admin, 'penguins', rows.slice(30, 230), 'Species', {
      label: (row, predicted, version) =>
        version === 2 ? (predicted === 'Adelie' ? 'Gentoo' : 'Adelie') : row.Species,
    });
    await l.tick();
    const info = await l.admin.model('penguins');
    expect(info.rollout).toBeNull();
    expect(info.aliases.champion).toBe(1);
    expect((await l.events('penguins')).find((e) => e.startsWith('rollback: '))).toMatch(
      /^rollback: v2 rolled back at 50%; v1 keeps serving: online metric/,
    );
  });

  it('continues a rollout from where it was after the server is killed and restarted', async () => {
    const { loop: l, rows } = await penguinsLoop({ triggers: { newFeedback: 20 }, rollout: CANARY });
    loop = l;
    await serveWithFeedback(l.admin, 'penguins', rows.slice(0, 30), 'Species');
    await l.tick();
    await l.agent();
    await l.tick();
    await serveWithFeedback(l.admin, 'penguins', rows.slice(30, 110), 'Species');
    await l.restart();
    expect((await l.admin.model('penguins')).rollout).toEqual({ challenger: 2, weight: 0.5 });
    l.clock.now += 2 * MINUTE;
    await l.tick();
    expect((await l.admin.model('penguins')).rollout).toEqual({ challenger: 2, weight: 1 });
  });

  it('gives a runner that names its models only their jobs', async () => {
    const { loop: l, rows } = await penguinsLoop({ triggers: { newFeedback: 20 }, rollout: CANARY });
    loop = l;
    await serveWithFeedback(l.admin, 'penguins', rows.slice(0, 30), 'Species');
    await l.tick();
    expect(await l.admin.claimJob('runner-other', ['cars', 'weather'])).toBeNull();
    const refused = await l.admin.claimJob('runner-bad', ['no such name!']).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'bad_input' });
    expect(String((refused as Error).message)).toMatch(/models\.0: not a model name/);
    const job = await l.admin.claimJob('runner-penguins', ['cars', 'penguins']);
    expect(job?.model).toBe('penguins');
    const { jobs } = (await l.admin.automation('penguins')) as { jobs: { id: string; runner: string | null }[] };
    expect(jobs.find((j) => j.id === job?.id)?.runner).toBe('runner-penguins');
  });

  it('gives each job to one runner, and retries a job whose runner died, at most its retry count', async () => {
    const { loop: l, rows } = await penguinsLoop({ triggers: { newFeedback: 20 }, retries: 2, rollout: CANARY });
    loop = l;
    await serveWithFeedback(l.admin, 'penguins', rows.slice(0, 30), 'Species');
    await l.tick();
    const [a, b] = await Promise.all([l.admin.claimJob('runner-a'), l.admin.claimJob('runner-b')]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    // The runner dies: no heartbeat, no completion.
    l.clock.now += LEASE_MS + 1;
    await l.tick();
    l.clock.now += 60_000;
    const again = await l.admin.claimJob('runner-c');
    expect(again?.id).toBe((a ?? b)!.id);
    l.clock.now += LEASE_MS + 1;
    await l.tick();
    l.clock.now += 120_000;
    expect(await l.admin.claimJob('runner-d')).toBeNull();
    const events = await l.events('penguins');
    expect(events.filter((e) => e.startsWith('job_retry: '))).toHaveLength(1);
    expect(events.find((e) => e.startsWith('job_failed: '))).toMatch(/lease expired on its last attempt/);
  });

  it('clears a retried job’s error once it succeeds, so its status and its error agree', async () => {
    const { loop: l, rows } = await penguinsLoop({ triggers: { newFeedback: 20 }, retries: 2, rollout: CANARY });
    loop = l;
    await serveWithFeedback(l.admin, 'penguins', rows.slice(0, 30), 'Species');
    await l.tick();
    const first = await l.admin.claimJob('runner-a');
    await l.admin.completeJob(first!.id, { runner: 'runner-a', status: 'failed', error: 'out of memory' });
    type Jobs = { jobs: { id: string; status: string; error: string | null }[] };
    expect(((await l.admin.automation('penguins')) as Jobs).jobs.find((j) => j.id === first!.id)).toMatchObject({
      status: 'queued',
      error: 'out of memory',
    });
    l.clock.now += 120_000;
    expect((await l.agent())[0]).toMatchObject({ status: 'succeeded' });
    expect(((await l.admin.automation('penguins')) as Jobs).jobs.find((j) => j.id === first!.id)).toMatchObject({
      status: 'succeeded',
      error: null,
    });
  });

  it('takes back a job its runner releases, without using an attempt; a runner stopped mid-job releases it', async () => {
    const { loop: l, rows } = await penguinsLoop({ triggers: { newFeedback: 20 }, retries: 1, rollout: CANARY });
    loop = l;
    await serveWithFeedback(l.admin, 'penguins', rows.slice(0, 30), 'Species');
    await l.tick();
    const job = (await l.admin.claimJob('runner-a'))!;
    expect(job.attempts).toBe(1);
    const refused = await l.admin.releaseJob(job.id, 'runner-b').catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'conflict' });
    expect(await l.admin.releaseJob(job.id, 'runner-a')).toMatchObject({ status: 'queued', attempts: 0 });
    // Queued again at once, with its single attempt intact: a stopped runner costs the job nothing.
    const stopped = new AbortController();
    const outcome = await runAgent({
      client: l.admin,
      runner: 'runner-c',
      io: nodeSourceIO,
      backend: 'cpu',
      codeVersion: 'loop',
      pollMs: 10,
      once: true,
      signal: stopped.signal,
      onEvent: (e) => {
        if (e.type === 'epoch') stopped.abort(new Error('switched off'));
      },
    });
    expect(outcome).toEqual([{ job: job.id, model: 'penguins', status: 'released' }]);
    const again = (await l.admin.claimJob('runner-d'))!;
    expect(again).toMatchObject({ id: job.id, attempts: 1, max_attempts: 1 });
    const events = await l.events('penguins');
    expect(events.filter((e) => e.startsWith('job_released: '))).toHaveLength(2);
    expect(events.some((e) => e.startsWith('job_retry: ') || e.startsWith('job_failed: '))).toBe(false);
  });

  it('fails a job whose data is gone, with the reason as an event', async () => {
    const { loop: l, file, rows } = await penguinsLoop({ triggers: { newFeedback: 20 }, retries: 1, rollout: CANARY });
    loop = l;
    await serveWithFeedback(l.admin, 'penguins', rows.slice(0, 30), 'Species');
    await l.tick();
    await rm(file);
    expect((await l.agent())[0]).toMatchObject({ status: 'failed' });
    expect((await l.events('penguins')).find((e) => e.startsWith('job_failed: '))).toMatch(
      /could not read .*penguins\.csv: ENOENT/,
    );
  });

  it('triggers nothing on a stored policy of the other task, says so once, and resumes when it fits', async () => {
    const { loop: l, rows } = await penguinsLoop({ triggers: { newFeedback: 20 }, rollout: CANARY });
    loop = l;
    // Stored as a policy set before the check existed (or before the champion changed task) would be.
    const misfit = { triggers: { newFeedback: 20 }, gates: [{ metric: 'rmse', vsChampion: { minDelta: 0 } }] };
    await l.edge.services.db.run("UPDATE models SET policy = ? WHERE name = 'penguins'", [JSON.stringify(misfit)]);
    await serveWithFeedback(l.admin, 'penguins', rows.slice(0, 30), 'Species');
    await l.tick();
    await l.tick();
    const misfits = (await l.events('penguins')).filter((e) => e.startsWith('policy_misfit: '));
    expect(misfits).toEqual([
      'policy_misfit: no retrain is triggered until the policy fits v1, the champion (a classification model): policy.gates.0.metric: rmse is a regression metric; this model is a classification model',
    ]);
    expect((await l.events('penguins')).some((e) => e.startsWith('trigger: '))).toBe(false);
    expect(await l.admin.claimJob('runner', ['penguins'])).toBeNull();
    // Fixed through the API: one event says so, and the feedback that arrived meanwhile triggers a retrain.
    await l.admin.setPolicy('penguins', { ...misfit, gates: [{ metric: 'accuracy', vsChampion: { minDelta: 0 } }] });
    await l.tick();
    const after = await l.events('penguins');
    expect(after.filter((e) => e.startsWith('policy_misfit: ')).at(-1)).toBe(
      'policy_misfit: the policy fits v1, the champion (a classification model), again: triggers are judged',
    );
    expect(after.some((e) => e.startsWith('trigger: '))).toBe(true);
  });

  it('refuses a malformed policy naming the field, and the tick survives any stored state', async () => {
    const { loop: l } = await penguinsLoop({ triggers: { newFeedback: 20 } });
    loop = l;
    const e = await l.admin
      .setPolicy('penguins', { rollout: { steps: [0.5, 0.2, 1] } })
      .catch((x: Error & { details: { path: string }[] }) => x);
    expect((e as { details: { path: string }[] }).details[0].path).toBe('policy.rollout.steps.1');
    const e2 = await l.admin
      .setPolicy('penguins', { cooldown: 'soon' })
      .catch((x: Error & { details: { path: string }[] }) => x);
    expect((e2 as { details: { path: string }[] }).details[0].path).toBe('policy.cooldown');
    // Metrics of the other task (penguins is a classifier): refused, each with its path, nothing stored.
    const before = (await l.admin.model('penguins')).policy;
    const e3 = await l.admin
      .setPolicy('penguins', {
        gates: [
          { metric: 'accuracy', min: 0.5 },
          { metric: 'rmse', max: 1 },
        ],
        primaryMetric: 'r2',
        triggers: { onlineMetric: { metric: 'mae', above: 1 } },
      })
      .catch((x: Error & { code: string; details: { path: string; message: string }[] }) => x);
    expect((e3 as { code: string }).code).toBe('bad_input');
    expect((e3 as { details: { path: string; message: string }[] }).details).toEqual([
      { path: 'policy.gates.1.metric', message: 'rmse is a regression metric; this model is a classification model' },
      { path: 'policy.primaryMetric', message: 'r2 is a regression metric; this model is a classification model' },
      {
        path: 'policy.triggers.onlineMetric.metric',
        message: 'mae is a regression metric; this model is a classification model',
      },
    ]);
    expect((await l.admin.model('penguins')).policy).toEqual(before);
    await l.edge.services.db.run(
      "INSERT OR REPLACE INTO automation (model, state, revision, updated_at) VALUES ('penguins', '{not json', 1, 0)",
    );
    await expect(l.tick()).resolves.toBeUndefined();
    expect((await l.events('penguins')).some((x) => x.startsWith('tick_error: '))).toBe(true);
  });
});
