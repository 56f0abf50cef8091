/**
 * The retrain job queue: runners claim a job with a lease, keep it with heartbeats, and complete or
 * fail it. A lease that runs out puts the job back (with backoff) until its attempts are used up.
 * Claims are one atomic UPDATE … RETURNING, so two runners never get the same job.
 */
import { FlywheelError } from '../../core/errors';
import type { SqlDatabase } from '../store/sql';

/** How long a claim holds without a heartbeat; a runner that dies loses its job after this. */
export const LEASE_MS = 60_000;
/** First retry delay; doubles per attempt. */
export const RETRY_BASE_MS = 5_000;

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface Job {
  id: string;
  model: string;
  status: JobStatus;
  attempts: number;
  max_attempts: number;
  runner: string | null;
  lease_until: number | null;
  payload: JobPayload;
  result: unknown;
  error: string | null;
  created_at: number;
}

export interface JobPayload {
  model: string;
  trigger: { cause: string; reason: string };
  /** The champion's pipeline spec: what the runner trains again. */
  spec: unknown;
  champion: { version: number; metrics: Record<string, number | null> };
  /** Where the edge's labelled feedback rows can be downloaded (a path on the edge). */
  feedback: string;
  /** The policy's cap on a model search's budget (`searchBudget`), when it sets one. */
  searchBudget?: string;
}

interface JobRow extends Omit<Job, 'payload' | 'result'> {
  payload: string;
  result: string | null;
}

function toJob(r: JobRow): Job {
  return { ...r, payload: JSON.parse(r.payload) as JobPayload, result: r.result ? JSON.parse(r.result) : null };
}

export class JobQueue {
  constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => number,
  ) {}

  async enqueue(payload: JobPayload, maxAttempts: number): Promise<Job> {
    const id = `job_${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`;
    const t = this.now();
    await this.db.run(
      'INSERT INTO jobs (id, model, status, attempts, max_attempts, not_before, payload, created_at, updated_at) VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?)',
      [id, payload.model, 'queued', maxAttempts, t, JSON.stringify(payload), t, t],
    );
    return (await this.get(id))!;
  }

  async get(id: string): Promise<Job | null> {
    const r = await this.db.first<JobRow>('SELECT * FROM jobs WHERE id = ?', [id]);
    return r ? toJob(r) : null;
  }

  async open(model: string): Promise<Job | null> {
    const r = await this.db.first<JobRow>(
      "SELECT * FROM jobs WHERE model = ? AND status IN ('queued', 'running') ORDER BY created_at LIMIT 1",
      [model],
    );
    return r ? toJob(r) : null;
  }

  async list(model: string, limit = 20): Promise<Job[]> {
    return (
      await this.db.all<JobRow>('SELECT * FROM jobs WHERE model = ? ORDER BY created_at DESC LIMIT ?', [model, limit])
    ).map(toJob);
  }

  /**
   * The oldest runnable job, now leased to `runner`; null when there is none. With `models`, only a
   * job of one of those models: a runner that can train only some (a browser tab has only its own
   * model's data) leaves the others to runners that can.
   */
  async claim(runner: string, models?: readonly string[]): Promise<Job | null> {
    const t = this.now();
    const only = models && models.length > 0 ? ` AND model IN (${models.map(() => '?').join(', ')})` : '';
    const rows = await this.db.all<JobRow>(
      `UPDATE jobs SET status = 'running', runner = ?, lease_until = ?, attempts = attempts + 1, updated_at = ?
       WHERE id = (SELECT id FROM jobs WHERE status = 'queued' AND not_before <= ?${only} ORDER BY created_at LIMIT 1) AND status = 'queued'
       RETURNING *`,
      [runner, t + LEASE_MS, t, t, ...(models ?? [])],
    );
    return rows[0] ? toJob(rows[0]) : null;
  }

  async heartbeat(id: string, runner: string): Promise<Job> {
    const { changes } = await this.db.run(
      "UPDATE jobs SET lease_until = ?, updated_at = ? WHERE id = ? AND status = 'running' AND runner = ?",
      [this.now() + LEASE_MS, this.now(), id, runner],
    );
    if (changes !== 1) throw await this.lost(id, runner);
    return (await this.get(id))!;
  }

  /**
   * Records the outcome. Completing twice with the same runner and outcome is accepted (idempotent);
   * a failure with attempts left re-queues the job after a backoff.
   */
  async complete(
    id: string,
    runner: string,
    outcome: { status: 'succeeded'; result: unknown } | { status: 'failed'; error: string },
  ): Promise<Job> {
    const job = await this.get(id);
    if (!job) throw new FlywheelError('not_found', `no job ${id}`);
    if (job.runner === runner && job.status === outcome.status) return job;
    if (job.status !== 'running' || job.runner !== runner) throw await this.lost(id, runner);
    const t = this.now();
    if (outcome.status === 'succeeded') {
      await this.db.run(
        "UPDATE jobs SET status = 'succeeded', result = ?, error = NULL, lease_until = NULL, updated_at = ? WHERE id = ? AND status = 'running' AND runner = ?",
        [JSON.stringify(outcome.result), t, id, runner],
      );
    } else if (job.attempts < job.max_attempts) {
      await this.db.run(
        "UPDATE jobs SET status = 'queued', error = ?, runner = NULL, lease_until = NULL, not_before = ?, updated_at = ? WHERE id = ? AND status = 'running' AND runner = ?",
        [outcome.error, t + RETRY_BASE_MS * 2 ** (job.attempts - 1), t, id, runner],
      );
    } else {
      await this.db.run(
        "UPDATE jobs SET status = 'failed', error = ?, lease_until = NULL, updated_at = ? WHERE id = ? AND status = 'running' AND runner = ?",
        [outcome.error, t, id, runner],
      );
    }
    return (await this.get(id))!;
  }

  /**
   * Hands a running job back to the queue untouched: the attempt its claim counted is given back and
   * it may be claimed again at once. For a runner that stops on purpose (an Autopilot switched off, an
   * agent told to quit), which should neither burn a retry nor hold the job until its lease expires.
   */
  async release(id: string, runner: string): Promise<Job> {
    const t = this.now();
    const { changes } = await this.db.run(
      "UPDATE jobs SET status = 'queued', runner = NULL, lease_until = NULL, attempts = attempts - 1, not_before = ?, updated_at = ? WHERE id = ? AND status = 'running' AND runner = ?",
      [t, t, id, runner],
    );
    if (changes !== 1) throw await this.lost(id, runner);
    return (await this.get(id))!;
  }

  /** Jobs whose lease ran out: re-queued with backoff, or failed when out of attempts. Returns what changed. */
  async expireLeases(): Promise<{ job: Job; requeued: boolean }[]> {
    const t = this.now();
    const stale = (
      await this.db.all<JobRow>("SELECT * FROM jobs WHERE status = 'running' AND lease_until < ?", [t])
    ).map(toJob);
    const out: { job: Job; requeued: boolean }[] = [];
    for (const job of stale) {
      const requeued = job.attempts < job.max_attempts;
      const { changes } = requeued
        ? await this.db.run(
            "UPDATE jobs SET status = 'queued', runner = NULL, lease_until = NULL, error = ?, not_before = ?, updated_at = ? WHERE id = ? AND status = 'running' AND lease_until < ?",
            [
              `lease expired (runner ${job.runner} stopped answering)`,
              t + RETRY_BASE_MS * 2 ** (job.attempts - 1),
              t,
              job.id,
              t,
            ],
          )
        : await this.db.run(
            "UPDATE jobs SET status = 'failed', lease_until = NULL, error = ?, updated_at = ? WHERE id = ? AND status = 'running' AND lease_until < ?",
            [`lease expired on the last of ${job.max_attempts} attempts`, t, job.id, t],
          );
      if (changes === 1) out.push({ job, requeued });
    }
    return out;
  }

  private async lost(id: string, runner: string): Promise<FlywheelError> {
    const job = await this.get(id);
    if (!job) return new FlywheelError('not_found', `no job ${id}`);
    return new FlywheelError(
      'conflict',
      `job ${id} is not leased to ${runner} (it is ${job.status}${job.runner ? ` with ${job.runner}` : ''}); its lease may have expired`,
      [{ path: id, message: 'lease lost' }],
    );
  }
}
