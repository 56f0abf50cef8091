/**
 * The registry's canary writes under concurrency, registered once per SQL adapter (SQLite, D1 on
 * workerd): many isolates share one database, so a rollout step must apply once or not at all, and
 * the rollout and the `challenger` alias must never disagree.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Manifest } from '../core/bundle';
import { Registry } from './registry';
import type { SqlDatabase } from './store/sql';

const MANIFEST = {} as Manifest;

export function rolloutContract(name: string, open: () => Promise<SqlDatabase>): void {
  describe(`rollout writes: ${name}`, () => {
    let db: SqlDatabase;
    let a: Registry;
    let b: Registry;
    const state = async () => ({
      rollout: await db.first('SELECT challenger, weight, revision FROM rollouts WHERE model = ?', ['m']),
      challenger:
        (
          await db.first<{ version: number }>("SELECT version FROM aliases WHERE model = ? AND alias = 'challenger'", [
            'm',
          ])
        )?.version ?? null,
    });

    beforeEach(async () => {
      db = await open();
      // Two registries over one database: two isolates.
      a = new Registry(db, () => Date.UTC(2026, 0, 1));
      b = new Registry(db, () => Date.UTC(2026, 0, 1));
      for (const v of [1, 2, 3]) await a.addVersion('m', `bundle-${v}`, `bundles/m/${v}.zip`, 1, MANIFEST);
    });

    it('sets the canary and the challenger alias together, one revision per step', async () => {
      expect(await a.setRollout('m', 2, 0.1)).toBe(1);
      expect(await state()).toEqual({ rollout: { challenger: 2, weight: 0.1, revision: 1 }, challenger: 2 });
      expect(await b.setRollout('m', 3, 0.5)).toBe(2);
      expect(await state()).toEqual({ rollout: { challenger: 3, weight: 0.5, revision: 2 }, challenger: 3 });
      // Weight 0 ends the canary and leaves the alias where it was.
      expect(await a.setRollout('m', 3, 0)).toBe(3);
      expect(await state()).toEqual({ rollout: { challenger: 3, weight: 0, revision: 3 }, challenger: 3 });
    });

    it('refuses a step from a stale read and changes nothing', async () => {
      await a.setRollout('m', 2, 0.1);
      await b.setRollout('m', 2, 0.5, 1);
      const before = await state();
      await expect(a.setRollout('m', 3, 1, 1)).rejects.toMatchObject({ code: 'conflict' });
      expect(await state()).toEqual(before);
    });

    it('applies exactly one of two steps racing from the same read', async () => {
      await a.setRollout('m', 2, 0.1);
      const results = await Promise.allSettled([a.setRollout('m', 2, 0.5, 1), b.setRollout('m', 3, 0.5, 1)]);
      const won = results.findIndex((r) => r.status === 'fulfilled');
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect((results[1 - won] as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict' });
      const winner = won === 0 ? 2 : 3;
      expect(await state()).toEqual({ rollout: { challenger: winner, weight: 0.5, revision: 2 }, challenger: winner });
    });

    it('lets only one of two first rollouts through', async () => {
      const results = await Promise.allSettled([a.setRollout('m', 2, 0.1, 0), b.setRollout('m', 3, 0.1, 0)]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const { rollout, challenger } = await state();
      expect(rollout).toMatchObject({ revision: 1 });
      expect(challenger).toBe((rollout as { challenger: number }).challenger);
    });

    it('refuses an unknown challenger version', async () => {
      await expect(a.setRollout('m', 9, 0.1)).rejects.toMatchObject({ code: 'not_found' });
      expect(await state()).toEqual({ rollout: null, challenger: null });
    });
  });
}
