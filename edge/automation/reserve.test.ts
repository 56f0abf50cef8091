import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { migrate, openSqlite, readMigrations } from '../store';
import { RESERVED_SHARE, ReserveSplit } from './reserve';

const migrations = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations');
const ids = Array.from({ length: 2000 }, (_, i) => `req-${i}`);

async function deployment() {
  const db = openSqlite(':memory:');
  await migrate(db, await readMigrations(migrations));
  return db;
}

async function reservedIds(split: ReserveSplit, model = 'penguins'): Promise<string[]> {
  const flags = await Promise.all(ids.map((id) => split.isReserved(model, id)));
  return ids.filter((_, i) => flags[i]);
}

describe('ReserveSplit', () => {
  it('keeps back about RESERVED_SHARE of the rows, the same ones for every process of a deployment', async () => {
    const db = await deployment();
    const first = await reservedIds(new ReserveSplit(db));
    expect(first.length / ids.length).toBeGreaterThan(RESERVED_SHARE - 0.04);
    expect(first.length / ids.length).toBeLessThan(RESERVED_SHARE + 0.04);
    expect(await reservedIds(new ReserveSplit(db))).toEqual(first);
  });

  it('is decided by the deployment’s secret, not by the request ids a client chooses', async () => {
    const a = await reservedIds(new ReserveSplit(await deployment()));
    const b = await reservedIds(new ReserveSplit(await deployment()));
    // Two secrets agree on a row by chance (0.2² + 0.8² = 68%), never on all 2,000.
    const agree = ids.filter((id) => a.includes(id) === b.includes(id)).length;
    expect(agree).toBeLessThan(ids.length * 0.75);
  });

  it('splits each model on its own: the same request id may be reserved for one and not another', async () => {
    const split = new ReserveSplit(await deployment());
    expect(await reservedIds(split, 'cars')).not.toEqual(await reservedIds(split, 'penguins'));
  });
});
