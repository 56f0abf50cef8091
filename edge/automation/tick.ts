/**
 * The automation tick (a timer on Node, the Cron Trigger on Workers). Per model with a policy, in
 * order: walk a rollout in progress (promote, advance, or roll back on a guardrail); else verify a
 * challenger a retrain published; else evaluate the triggers and enqueue a retrain. Decisions are
 * stored (compare-and-set) before they are applied, and re-applied if a crash cut them short, so a
 * restart mid-rollout continues where it was. The tick never throws: a model's failure is an event.
 */
import {
  decideRollout,
  evaluateTriggers,
  parsePolicy,
  policyTaskProblems,
  policyTimes,
  type Policy,
  type RolloutState,
} from '../../core/automation';
import type { MetricTask } from '../../core/metrics';
import { readBundle } from '../../core/bundle';
import { errorMessage } from '../../core/errors';
import { feedbackCount, onlineMetrics } from '../feedback';
import type { EdgeServices } from '../services';
import { feedbackRows } from './labelled-rows';
import type { JobQueue } from './jobs';
import { AutomationStore, type AutomationState } from './state';
import { verifyChallenger } from './verify';

interface Event {
  type: string;
  reason: string;
  data?: unknown;
}

export class Automation {
  readonly store: AutomationStore;
  private running: Promise<void> | null = null;

  constructor(
    private readonly svc: EdgeServices,
    readonly jobs: JobQueue,
  ) {
    this.store = new AutomationStore(svc.db, svc.now);
  }

  /** One tick over every model; overlapping calls share the tick in progress. */
  tick(): Promise<void> {
    this.running ??= this.tickAll().finally(() => (this.running = null));
    return this.running;
  }

  private async tickAll(): Promise<void> {
    try {
      for (const { job, requeued } of await this.jobs.expireLeases()) {
        await this.svc.events.append(
          job.model,
          requeued ? 'job_retry' : 'job_failed',
          requeued
            ? `job ${job.id}: the runner's lease expired; queued again (attempt ${job.attempts} of ${job.max_attempts} used)`
            : `job ${job.id} failed: the lease expired on its last attempt`,
          { job: job.id, runner: job.runner },
        );
      }
      for (const m of await this.svc.registry.policies()) {
        try {
          await this.tickModel(m.name, parsePolicy(m.policy));
        } catch (e) {
          await this.svc.events
            .append(
              m.name,
              'tick_error',
              `the automation tick failed for this model and will try again: ${errorMessage(e)}`,
            )
            .catch(() => {});
        }
      }
    } catch (e) {
      console.error('flywheel: automation tick failed:', errorMessage(e));
    }
  }

  private async tickModel(name: string, policy: Policy): Promise<void> {
    const routing = await this.svc.registry.routing(name);
    if (!routing) return;
    const { state, revision } = await this.store.read(name);
    const next: AutomationState = structuredClone(state);
    const events: Event[] = [];
    const apply: (() => Promise<void>)[] = [];
    const now = this.svc.now();
    const times = policyTimes(policy);

    if (state.rollout) {
      await this.reconcile(name, policy, state.rollout, routing.rollout);
      const r = state.rollout;
      const stats = await this.svc.monitor.versionStats(name, r.stepStartedAt);
      const online = await onlineMetrics(this.svc.db, name, r.stepStartedAt);
      const of = (v: number) => {
        const s = stats.get(v);
        const o = online.find((x) => x.version === v);
        return {
          requests: s?.requests ?? 0,
          errorRate: s?.errorRate ?? 0,
          p95Ms: s?.p95Ms ?? null,
          online: o ? (o.accuracy ?? (o.mae !== undefined ? -o.mae : null)) : null,
          feedback: o?.feedback ?? 0,
        };
      };
      const d = decideRollout(policy, r, of(r.challenger), of(r.champion), now);
      if (d.action === 'advance') {
        next.rollout = { ...r, step: r.step + 1, stepStartedAt: now };
        apply.push(() => this.svc.registry.setRollout(name, r.challenger, d.weight).then(() => {}));
        events.push({
          type: 'rollout_step',
          reason: `v${r.challenger} → ${Math.round(d.weight * 100)}% of traffic: ${d.reason}`,
          data: { ...d.numbers, weight: d.weight, version: r.challenger },
        });
      } else if (d.action === 'promote') {
        next.rollout = null;
        apply.push(async () => {
          await this.svc.registry.setAlias(name, 'champion', r.challenger);
          await this.svc.registry.setRollout(name, r.challenger, 0);
        });
        events.push({
          type: 'promote',
          reason: `champion → v${r.challenger} (was v${r.champion}): ${d.reason}`,
          data: { ...d.numbers, version: r.challenger },
        });
      } else if (d.action === 'rollback') {
        next.rollout = null;
        next.refused = [...next.refused, r.challenger];
        apply.push(() => this.svc.registry.setRollout(name, r.challenger, 0).then(() => {}));
        events.push({
          type: 'rollback',
          reason: `v${r.challenger} rolled back at ${Math.round(policy.rollout.steps[r.step] * 100)}%; v${r.champion} keeps serving: ${d.reason}`,
          data: { ...d.numbers, version: r.challenger },
        });
      }
    } else if (state.pendingVerification !== null) {
      const v = state.pendingVerification;
      next.pendingVerification = null;
      const [challenger, champion] = await Promise.all([
        this.svc.serving.load(name, v),
        this.svc.serving.load(name, routing.primary),
      ]);
      const stored = await this.svc.registry.requireVersion(name, v);
      const bytes = await this.svc.blobs.get(stored.blobKey);
      const bundle = bytes ? await readBundle(bytes, `${name} v${v}`) : null;
      const feedback = await feedbackRows(
        this.svc.db,
        this.svc.reserve,
        name,
        now - times.windowMs,
        champion.manifest,
        'reserved',
      );
      const report = verifyChallenger(policy, challenger, champion, bundle?.holdoutCsv ?? null, feedback);
      const summary = `on ${report.basis}: ${report.gates.checks.map((c) => c.reason).join('; ')}`;
      if (report.passed) {
        const weight = policy.rollout.steps[0];
        next.rollout = { champion: routing.primary, challenger: v, step: 0, stepStartedAt: now };
        apply.push(() => this.svc.registry.setRollout(name, v, weight).then(() => {}));
        events.push({
          type: 'verify',
          reason: `v${v} passed verification against v${routing.primary} (${report.rows.feedback} reserved feedback rows, ${report.rows.holdout} held-out rows) ${summary}`,
          data: { ...report, version: v },
        });
        events.push({
          type: 'rollout_step',
          reason: `canary started: v${v} → ${Math.round(weight * 100)}% of traffic`,
          data: { weight, version: v },
        });
      } else {
        next.refused = [...next.refused, v];
        events.push({
          type: 'verify',
          reason: `v${v} refused at verification; v${routing.primary} keeps serving: ${summary}`,
          data: { ...report, version: v },
        });
      }
    } else if (!(await this.jobs.open(name))) {
      const champion = await this.svc.serving.load(name, routing.primary);
      if (this.policyFits(policy, champion.manifest.task, routing.primary, state, next, events)) {
        const since = await this.svc.registry.championSince(name);
        const drift = await this.svc.monitor.drift(name, routing.primary, champion.manifest.baseline, times.windowMs);
        const online =
          (await onlineMetrics(this.svc.db, name, now - times.windowMs)).find((o) => o.version === routing.primary) ??
          null;
        const newFeedback = await feedbackCount(this.svc.db, name, since);
        const trigger = evaluateTriggers(policy, {
          now,
          championSince: since,
          lastTriggerAt: state.lastTriggerAt,
          drift,
          online,
          newFeedback,
        });
        if (trigger) {
          next.lastTriggerAt = now;
          apply.push(async () => {
            const job = await this.jobs.enqueue(
              {
                model: name,
                trigger: { cause: trigger.cause, reason: trigger.reason },
                spec: champion.manifest.spec,
                champion: { version: routing.primary, metrics: champion.manifest.metrics },
                feedback: `/v1/models/${encodeURIComponent(name)}/feedback-data`,
                ...(policy.searchBudget ? { searchBudget: policy.searchBudget } : {}),
              },
              policy.retries,
            );
            await this.svc.events.append(name, 'job', `retrain job ${job.id} queued (${policy.retries} attempts)`, {
              job: job.id,
            });
          });
          events.push({ type: 'trigger', reason: trigger.reason, data: { cause: trigger.cause, ...trigger.numbers } });
        }
      }
    }
    if (events.length === 0 && apply.length === 0) return;
    // Claim the decision first: a tick racing this one (another isolate) loses here and applies nothing.
    if (!(await this.store.write(name, next, revision))) return;
    for (const e of events) await this.svc.events.append(name, e.type, e.reason, e.data ?? null);
    for (const step of apply) await step();
    this.svc.serving.invalidate(name);
  }

  /**
   * Whether the policy's metrics are the champion's task's. A policy stored before the champion changed
   * task (or before policies were checked) may name the other task's: its retrains could never pass
   * their gates, its online trigger never fire. Then no trigger is judged, and one event says why (and
   * one when it fits again): `next.policyMisfit` keeps the last reason, so ticks do not repeat it.
   */
  private policyFits(
    policy: Policy,
    task: MetricTask,
    champion: number,
    state: AutomationState,
    next: AutomationState,
    events: Event[],
  ): boolean {
    const details = policyTaskProblems(policy, task);
    const misfit = details.length ? details.map((d) => `${d.path}: ${d.message}`).join('; ') : null;
    if (misfit !== (state.policyMisfit ?? null)) {
      next.policyMisfit = misfit;
      events.push({
        type: 'policy_misfit',
        reason: misfit
          ? `no retrain is triggered until the policy fits v${champion}, the champion (a ${task} model): ${misfit}`
          : `the policy fits v${champion}, the champion (a ${task} model), again: triggers are judged`,
        data: { version: champion, task, details },
      });
    }
    return misfit === null;
  }

  /** Re-applies the stored rollout step when a crash stopped it half-way (weight or challenger out of date). */
  private async reconcile(
    name: string,
    policy: Policy,
    r: RolloutState,
    live: { challenger: number; weight: number } | null,
  ): Promise<void> {
    const weight = policy.rollout.steps[r.step];
    if (!live || live.challenger !== r.challenger || live.weight !== weight) {
      await this.svc.registry.setRollout(name, r.challenger, weight);
      this.svc.serving.invalidate(name);
    }
  }

  /** A retrain job finished: its published version waits for verification at the next tick. */
  async challengerPublished(name: string, version: number): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const { state, revision } = await this.store.read(name);
      if (state.pendingVerification === version || state.rollout?.challenger === version) return;
      if (await this.store.write(name, { ...state, pendingVerification: version }, revision)) return;
    }
  }
}
