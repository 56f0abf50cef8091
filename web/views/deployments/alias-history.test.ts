import { describe, expect, it } from 'vitest';
import type { ModelEvent } from '../../../core/api/contract';
import { previousVersion } from './alias-history';

const ev = (id: number, type: string, data: unknown): ModelEvent => ({
  id,
  model: 'm',
  at: '2026-01-01T00:00:00Z',
  type,
  reason: '',
  data,
});

describe('previousVersion', () => {
  it('reads the latest move of the alias, whatever the list order', () => {
    const events = [
      ev(2, 'alias', { alias: 'champion', version: 1, previous: null }),
      ev(5, 'alias', { alias: 'champion', version: 3, previous: 1 }),
      ev(6, 'alias', { alias: 'challenger', version: 4, previous: 2 }),
      ev(7, 'publish', { version: 4 }),
    ];
    expect(previousVersion(events)).toBe(1);
    expect(previousVersion(events, 'challenger')).toBe(2);
  });

  it('is null when the alias never moved from an earlier version', () => {
    expect(previousVersion([ev(2, 'alias', { alias: 'champion', version: 1, previous: null })])).toBeNull();
    expect(previousVersion([])).toBeNull();
  });
});
