/** The audit log: every publish, alias move, rollout step, trigger and job, with its reason and numbers. */
import type { ModelEvent } from '../core/api/contract';
import type { SqlDatabase, SqlStatement } from './store/sql';

export class EventLog {
  constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => number,
  ) {}

  /** The statement that appends an event, for callers that batch it with the change it records. */
  statement(model: string, type: string, reason: string, data: unknown = null): SqlStatement {
    return {
      sql: 'INSERT INTO events (model, at, type, reason, data) VALUES (?, ?, ?, ?, ?)',
      params: [model, new Date(this.now()).toISOString(), type, reason, data === null ? null : JSON.stringify(data)],
    };
  }

  async append(model: string, type: string, reason: string, data: unknown = null): Promise<void> {
    const s = this.statement(model, type, reason, data);
    await this.db.run(s.sql, s.params);
  }

  async list(model: string, limit = 200): Promise<ModelEvent[]> {
    const rows = await this.db.all<{
      id: number;
      model: string;
      at: string;
      type: string;
      reason: string;
      data: string | null;
    }>('SELECT * FROM events WHERE model = ? ORDER BY id DESC LIMIT ?', [model, limit]);
    return rows.map((r) => ({ ...r, data: r.data ? JSON.parse(r.data) : null }));
  }
}
