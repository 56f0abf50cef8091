/**
 * Drains the recorder on a timer and hands each batch to a sink (the SQL writer): one write per
 * interval whatever the traffic, so a crash loses at most one interval. A failed write puts the
 * batch back into the recorder (merged with what came since, so memory grows per minute of outage,
 * not per request) and is retried with exponential backoff. Timers are injected: no globals.
 */
import type { RollupRecord } from './rollup';
import type { TelemetryRecorder } from './recorder';

/** Drain period: the README promises a crash loses at most the unflushed second. */
export const DEFAULT_FLUSH_INTERVAL_MS = 1000;
/** Longest wait between retries while the store is down: retries stay frequent enough to notice recovery. */
export const DEFAULT_MAX_BACKOFF_MS = 30_000;

export interface FlushingOptions {
  recorder: Pick<TelemetryRecorder, 'drain' | 'restore'>;
  /** Writes one batch; a rejection means nothing of it was written (write it in one transaction). */
  sink: (batch: RollupRecord[]) => Promise<void>;
  intervalMs?: number;
  maxBackoffMs?: number;
  /** `setTimeout`-like: calls back once after `ms`. */
  setTimer: (callback: () => void, ms: number) => unknown;
  clearTimer: (handle: unknown) => void;
  /** Told of each failed write (for logs); the batch is already back in the recorder. */
  onError?: (error: unknown, consecutiveFailures: number) => void;
}

export interface FlushStats {
  /** Batches written. */
  flushes: number;
  /** Writes that failed (each was retried). */
  failures: number;
  consecutiveFailures: number;
}

export interface Flusher {
  /** Drains and writes now (after any write in flight); rejects if the write fails, with the batch restored. */
  flush(): Promise<void>;
  /** Stops the timer and writes what is left; rejects if that last write fails. */
  stop(): Promise<void>;
  stats(): FlushStats;
}

/** Starts draining `recorder` into `sink` every `intervalMs`; the next tick is armed only after a write settles. */
export function startFlushing(options: FlushingOptions): Flusher {
  const { recorder, sink, setTimer, clearTimer, onError } = options;
  const intervalMs = options.intervalMs ?? DEFAULT_FLUSH_INTERVAL_MS;
  const maxBackoffMs = options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS;
  const stats: FlushStats = { flushes: 0, failures: 0, consecutiveFailures: 0 };
  let timer: unknown = undefined;
  let stopped = false;
  let inFlight: Promise<void> = Promise.resolve();

  const write = async (): Promise<void> => {
    const batch = recorder.drain();
    if (batch.length === 0) return;
    try {
      await sink(batch);
    } catch (error) {
      recorder.restore(batch);
      stats.failures++;
      stats.consecutiveFailures++;
      onError?.(error, stats.consecutiveFailures);
      throw error;
    }
    stats.flushes++;
    stats.consecutiveFailures = 0;
  };

  // Writes are chained, so two never overlap and a batch restored by one is seen by the next.
  const flush = (): Promise<void> => {
    const next = inFlight.then(write);
    inFlight = next.catch(() => undefined);
    return next;
  };

  const arm = (): void => {
    if (stopped) return;
    const delay = Math.min(maxBackoffMs, intervalMs * 2 ** stats.consecutiveFailures);
    timer = setTimer(tick, delay);
  };

  function tick(): void {
    timer = undefined;
    flush().then(arm, arm);
  }

  arm();
  return {
    flush,
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimer(timer);
      timer = undefined;
      await flush();
    },
    stats: () => ({ ...stats }),
  };
}
