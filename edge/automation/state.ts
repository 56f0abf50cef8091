/** Each model's automation state, stored with a revision so a tick racing another (two isolates) cannot double-apply. */
import type { RolloutState } from '../../core/automation';
import type { SqlDatabase } from '../store/sql';

export interface AutomationState {
  lastTriggerAt: number | null;
  /** A challenger published by a retrain job, waiting for verification. */
  pendingVerification: number | null;
  /** Versions that failed verification or were rolled back: never tried again. */
  refused: number[];
  rollout: RolloutState | null;
  /**
   * Why the policy does not fit the champion's task (its metrics are the other task's), as last said in
   * an event; null when it fits. Kept so that the event is written once, not at every tick.
   */
  policyMisfit?: string | null;
}

export const INITIAL_STATE: AutomationState = {
  lastTriggerAt: null,
  pendingVerification: null,
  refused: [],
  rollout: null,
};

export class AutomationStore {
  constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => number,
  ) {}

  async read(model: string): Promise<{ state: AutomationState; revision: number }> {
    const row = await this.db.first<{ state: string; revision: number }>(
      'SELECT state, revision FROM automation WHERE model = ?',
      [model],
    );
    return row
      ? { state: { ...INITIAL_STATE, ...(JSON.parse(row.state) as Partial<AutomationState>) }, revision: row.revision }
      : { state: { ...INITIAL_STATE }, revision: 0 };
  }

  /** Writes `state` if nobody else did since `revision` was read; returns whether it was written. */
  async write(model: string, state: AutomationState, revision: number): Promise<boolean> {
    const text = JSON.stringify(state);
    const { changes } =
      revision === 0
        ? await this.db.run(
            'INSERT OR IGNORE INTO automation (model, state, revision, updated_at) VALUES (?, ?, 1, ?)',
            [model, text, this.now()],
          )
        : await this.db.run(
            'UPDATE automation SET state = ?, revision = revision + 1, updated_at = ? WHERE model = ? AND revision = ?',
            [text, this.now(), model, revision],
          );
    return changes === 1;
  }
}
