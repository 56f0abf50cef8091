import { afterEach, describe, expect, it, vi } from 'vitest';
import { requestIdOf, timeOrderedUuid } from './http';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The Unix milliseconds in a v7 UUID's first 48 bits. */
const millisOf = (id: string) => parseInt(id.slice(0, 8) + id.slice(9, 13), 16);

describe('timeOrderedUuid', () => {
  afterEach(() => vi.useRealTimers());

  it('makes RFC 9562 version 7 ids that carry the current millisecond', () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 10, 29, 12, 0, 0, 123), toFake: ['Date'] });
    const id = timeOrderedUuid();
    expect(id).toMatch(UUID_V7);
    expect(millisOf(id)).toBe(Date.UTC(2026, 10, 29, 12, 0, 0, 123));
  });

  it('follows the clock from one millisecond to the next and never repeats within one', () => {
    vi.useFakeTimers({ now: 1_700_000_000_000, toFake: ['Date'] });
    const first = Array.from({ length: 1000 }, () => timeOrderedUuid());
    vi.setSystemTime(1_700_000_000_001);
    const second = timeOrderedUuid();
    expect(new Set(first).size).toBe(1000);
    expect(first.every((id) => millisOf(id) === 1_700_000_000_000 && UUID_V7.test(id))).toBe(true);
    expect(millisOf(second)).toBe(1_700_000_000_001);
    // Ids of a later millisecond sort after every id of an earlier one: the log's inserts append.
    expect(first.every((id) => id < second)).toBe(true);
  });

  it('draws every random digit: each takes all 16 values over many ids, the variant digit its 4', () => {
    const ids = Array.from({ length: 4000 }, () => timeOrderedUuid());
    expect(new Set(ids).size).toBe(ids.length);
    for (const at of [15, 16, 17, 19, 20, 21, 22, 24, 30, 35]) {
      const seen = new Set(ids.map((id) => id[at]));
      expect(seen.size, `position ${at}`).toBe(at === 19 ? 4 : 16);
    }
  });

  it('keeps a well-formed client request id and replaces anything else', () => {
    expect(requestIdOf('client-id_1')).toBe('client-id_1');
    expect(requestIdOf('bad id with spaces')).toMatch(UUID_V7);
    expect(requestIdOf(undefined)).toMatch(UUID_V7);
  });
});
