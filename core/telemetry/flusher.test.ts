import { describe, expect, it } from 'vitest';
import { startFlushing, type FlushingOptions } from './flusher';
import { TelemetryRecorder } from './recorder';
import { mergeRollups, emptyRollup, type RollupRecord } from './rollup';

/** Timers the test fires by hand; `delays` records what each arming asked for. */
class ManualTimers {
  readonly delays: number[] = [];
  private pending = new Map<number, () => void>();
  private next = 1;

  setTimer = (callback: () => void, ms: number): unknown => {
    this.delays.push(ms);
    const id = this.next++;
    this.pending.set(id, callback);
    return id;
  };

  clearTimer = (handle: unknown): void => {
    this.pending.delete(handle as number);
  };

  get armed(): number {
    return this.pending.size;
  }

  /** Fires every armed timer, then lets the write it starts settle. */
  async fire(): Promise<void> {
    const due = [...this.pending.values()];
    this.pending.clear();
    for (const callback of due) callback();
    await settle();
  }
}

/** Lets every queued promise reaction run (a macrotask runs only after the microtask queue is empty). */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function record(recorder: TelemetryRecorder, n: number, at = 0): void {
  for (let i = 0; i < n; i++) recorder.record({ model: 'm', version: '1', at, latencyMs: 1, rows: 2, status: 200 });
}

/** A sink that fails its first `failures` writes and keeps what it wrote. */
function flakySink(failures: number): { sink: FlushingOptions['sink']; written: RollupRecord[][]; calls: number } {
  const state = {
    written: [] as RollupRecord[][],
    calls: 0,
    sink: async (batch: RollupRecord[]): Promise<void> => {
      state.calls++;
      if (state.calls <= failures) throw new Error(`store down (${state.calls})`);
      state.written.push(batch);
    },
  };
  return state;
}

function requestsIn(batches: RollupRecord[][]): number {
  return batches.flat().reduce((s, r) => s + r.rollup.requests, 0);
}

describe('startFlushing', () => {
  it('writes one batch per interval, not one per request', async () => {
    const recorder = new TelemetryRecorder();
    const timers = new ManualTimers();
    const store = flakySink(0);
    const flusher = startFlushing({ recorder, sink: store.sink, ...timers });
    record(recorder, 100);
    await timers.fire();
    expect(store.calls).toBe(1);
    expect(store.written[0]).toHaveLength(1);
    expect(requestsIn(store.written)).toBe(100);
    await timers.fire();
    expect(store.calls).toBe(1);
    expect(timers.delays).toEqual([1000, 1000, 1000]);
    await flusher.stop();
  });

  it('loses nothing when the sink fails twice then succeeds, backing off in between', async () => {
    const recorder = new TelemetryRecorder();
    const timers = new ManualTimers();
    const store = flakySink(2);
    const errors: number[] = [];
    const flusher = startFlushing({ recorder, sink: store.sink, ...timers, onError: (_e, n) => errors.push(n) });
    record(recorder, 10);
    await timers.fire();
    record(recorder, 5);
    record(recorder, 4, 60_000);
    await timers.fire();
    record(recorder, 3);
    await timers.fire();
    expect(store.calls).toBe(3);
    expect(errors).toEqual([1, 2]);
    expect(timers.delays).toEqual([1000, 2000, 4000, 1000]);
    expect(requestsIn(store.written)).toBe(22);
    const minute0 = store.written[0]
      .filter((r) => r.minute === 0)
      .reduce((s, r) => mergeRollups(s, r.rollup), emptyRollup());
    expect([minute0.requests, minute0.rows, minute0.latency.count]).toEqual([18, 36, 18]);
    expect(flusher.stats()).toEqual({ flushes: 1, failures: 2, consecutiveFailures: 0 });
    expect(recorder.buffered).toBe(0);
    await flusher.stop();
  });

  it('caps the backoff', async () => {
    const recorder = new TelemetryRecorder();
    const timers = new ManualTimers();
    const flusher = startFlushing({
      recorder,
      sink: flakySink(10).sink,
      ...timers,
      intervalMs: 100,
      maxBackoffMs: 500,
    });
    for (let i = 0; i < 5; i++) {
      record(recorder, 1);
      await timers.fire();
    }
    expect(timers.delays).toEqual([100, 200, 400, 500, 500, 500]);
    await expect(flusher.stop()).rejects.toThrow(/store down/);
  });

  it('stop() writes what is left and arms no further timer', async () => {
    const recorder = new TelemetryRecorder();
    const timers = new ManualTimers();
    const store = flakySink(0);
    const flusher = startFlushing({ recorder, sink: store.sink, ...timers });
    record(recorder, 7);
    await flusher.stop();
    expect(requestsIn(store.written)).toBe(7);
    expect(timers.armed).toBe(0);
    record(recorder, 1);
    await settle();
    expect(store.calls).toBe(1);
  });

  it('stop() rejects when the last write fails, leaving the batch in the recorder', async () => {
    const recorder = new TelemetryRecorder();
    const timers = new ManualTimers();
    const flusher = startFlushing({ recorder, sink: flakySink(1).sink, ...timers });
    record(recorder, 4);
    await expect(flusher.stop()).rejects.toThrow(/store down/);
    expect(recorder.drain()[0].rollup.requests).toBe(4);
  });

  it('never runs two writes at once', async () => {
    const recorder = new TelemetryRecorder();
    const timers = new ManualTimers();
    let active = 0;
    let most = 0;
    const sink = async (): Promise<void> => {
      active++;
      most = Math.max(most, active);
      await settle();
      active--;
    };
    const flusher = startFlushing({ recorder, sink, ...timers });
    record(recorder, 1);
    const manual = flusher.flush();
    record(recorder, 1);
    const second = flusher.flush();
    await Promise.all([manual, second]);
    expect(most).toBe(1);
    await flusher.stop();
  });
});
