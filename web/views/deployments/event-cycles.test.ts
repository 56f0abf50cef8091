import { describe, expect, it } from 'vitest';
import type { ModelEvent } from '../../../core/api/contract';
import { refusedVersions, timeline } from './event-cycles';

let id = 0;
const ev = (type: string, reason: string, data: unknown = null): ModelEvent => ({
  id: ++id,
  model: 'm',
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, id)).toISOString(),
  type,
  reason,
  data,
});

/** The events the edge writes for one model: a publish, then two automated cycles (the first refused, the second promoted). */
function story(): ModelEvent[] {
  id = 0;
  return [
    ev('publish', 'published v1', { version: 1 }),
    ev('alias', 'champion → v1', { alias: 'champion', version: 1 }),
    ev('policy', 'automation policy set'),
    ev('trigger', '60% of features drifted', { cause: 'drift' }),
    ev('job', 'retrain job j1 queued', { job: 'j1' }),
    ev('job_claimed', 'job j1 claimed', { job: 'j1' }),
    ev('publish', 'published v2', { version: 2 }),
    ev('job_done', 'job j1 published v2', { job: 'j1', version: 2 }),
    ev('verify', 'v2 refused at verification', { passed: false, version: 2, gates: { checks: [] } }),
    ev('trigger', 'new feedback', { cause: 'new_feedback' }),
    ev('job', 'retrain job j2 queued', { job: 'j2' }),
    ev('job_claimed', 'job j2 claimed', { job: 'j2' }),
    ev('publish', 'published v3', { version: 3 }),
    ev('job_done', 'job j2 published v3', { job: 'j2', version: 3 }),
    ev('verify', 'v3 passed', { passed: true, version: 3 }),
    ev('rollout_step', 'canary started', { weight: 0.1, version: 3 }),
    ev('rollout_step', 'v3 → 100%', { weight: 1, version: 3 }),
    ev('promote', 'champion → v3', { version: 3 }),
    ev('rollout', '20% of traffic → v2: set by an admin', { challenger: 2, weight: 0.2 }),
  ].reverse();
}

describe('timeline', () => {
  it('groups each trigger with its job, published version, verification and rollout steps, newest first', () => {
    const t = timeline(story());
    expect(
      t.map((e) => (e.kind === 'cycle' ? `cycle ${e.cycle.job} v${e.cycle.version} ${e.cycle.outcome}` : e.event.type)),
    ).toEqual(['rollout', 'cycle j2 v3 promoted', 'cycle j1 v2 refused', 'policy', 'alias', 'publish']);
    const second = t[1].kind === 'cycle' ? t[1].cycle : null;
    expect(second?.steps.map((s) => s.type)).toEqual([
      'trigger',
      'job',
      'job_claimed',
      'publish',
      'job_done',
      'verify',
      'rollout_step',
      'rollout_step',
      'promote',
    ]);
    expect(second?.rollout).toHaveLength(2);
    expect(second?.verify?.reason).toBe('v3 passed');
  });

  it('leaves a cycle open while its job runs', () => {
    const t = timeline(story().slice(-6));
    expect(t[0].kind === 'cycle' && t[0].cycle.outcome).toBe('in progress');
  });
});

describe('refusedVersions', () => {
  it('names the versions refused at verification or rolled back, with the reason', () => {
    id = 100;
    const rolledBack = ev('rollback', 'v4 rolled back at 10%', { version: 4 });
    expect([...refusedVersions([...story(), rolledBack])]).toEqual([
      [2, 'v2 refused at verification'],
      [4, 'v4 rolled back at 10%'],
    ]);
  });
});
