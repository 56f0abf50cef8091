import { describe, expect, it } from 'vitest';
import { flushSchedule } from './flush-schedule';

/** A manual clock: `sleep` resolves when `advance` passes its deadline. */
function manualTime() {
  let t = 0;
  const sleepers: { until: number; wake: () => void }[] = [];
  const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
  return {
    now: () => t,
    sleep: (ms: number) => new Promise<void>((wake) => sleepers.push({ until: t + ms, wake })),
    async advance(ms: number) {
      t += ms;
      for (const s of sleepers.splice(0).filter((s) => (s.until <= t ? (s.wake(), false) : true))) sleepers.push(s);
      await settle();
    },
    settle,
  };
}

/** A buffer whose flush writes everything pushed so far, failing on demand. */
function buffer() {
  const pending: number[] = [];
  const written: number[] = [];
  let failNext = false;
  return {
    pending,
    written,
    failOnce: () => {
      failNext = true;
    },
    flush: async () => {
      const batch = pending.splice(0);
      if (failNext) {
        failNext = false;
        pending.unshift(...batch);
        throw new Error('store down');
      }
      written.push(...batch);
    },
  };
}

describe('flushSchedule', () => {
  it('writes the first request’s data at once and coalesces what follows within the interval', async () => {
    const time = manualTime();
    const buf = buffer();
    const writes: number[] = [];
    const schedule = flushSchedule({
      flush: async () => {
        writes.push(time.now());
        await buf.flush();
      },
      now: time.now,
      sleep: time.sleep,
      onError: () => {},
      intervalMs: 1000,
    });
    buf.pending.push(1);
    const first = schedule.request();
    await time.settle();
    await first;
    expect(buf.written).toEqual([1]);

    await time.advance(100);
    buf.pending.push(2);
    const second = schedule.request();
    await time.advance(100);
    buf.pending.push(3);
    expect(schedule.request()).toBe(second);
    expect(buf.written).toEqual([1]);
    await time.advance(800);
    await second;
    expect(buf.written).toEqual([1, 2, 3]);
    expect(writes).toEqual([0, 1000]);
  });

  it('starts a new write for data buffered while one is running', async () => {
    const time = manualTime();
    const buf = buffer();
    let release!: () => void;
    const slow = async () => {
      await new Promise<void>((r) => {
        release = r;
      });
      await buf.flush();
    };
    const schedule = flushSchedule({
      flush: slow,
      now: time.now,
      sleep: time.sleep,
      onError: () => {},
      intervalMs: 1000,
    });
    buf.pending.push(1);
    const first = schedule.request();
    await time.settle();
    buf.pending.push(2);
    const second = schedule.request();
    expect(second).not.toBe(first);
    release();
    await first;
    await time.advance(1000);
    release();
    await second;
    expect(buf.written).toEqual([1, 2]);
  });

  it('reports a failed write, never rejects, and the next request writes the kept data', async () => {
    const time = manualTime();
    const buf = buffer();
    const errors: unknown[] = [];
    const schedule = flushSchedule({
      flush: buf.flush,
      now: time.now,
      sleep: time.sleep,
      onError: (e) => errors.push(e),
      intervalMs: 1000,
    });
    buf.pending.push(1);
    buf.failOnce();
    const failed = schedule.request();
    await time.settle();
    await expect(failed).resolves.toBeUndefined();
    expect(errors).toHaveLength(1);
    expect(buf.written).toEqual([]);
    buf.pending.push(2);
    const retry = schedule.request();
    await time.advance(1000);
    await retry;
    expect(buf.written).toEqual([1, 2]);
  });
});
