/**
 * When an isolate writes its telemetry on Workers. There is no process that lives on to run a timer:
 * an isolate may be evicted at any moment after a response, and work only continues past the response
 * when handed to `ctx.waitUntil`. So every request that buffered something gets a promise covering
 * its data, and requests close together share one write.
 */

/** At most one write per isolate this often: the same bound as Node's timer (a lost isolate loses at most this much). */
export const WORKER_FLUSH_INTERVAL_MS = 1000;

export interface FlushScheduleOptions {
  /** Writes what is buffered; a failed write keeps the data for the next one (EdgeServices.flush does). */
  flush: () => Promise<void>;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Told of a failed write; the schedule's promises never reject. */
  onError: (error: unknown) => void;
  intervalMs?: number;
}

export interface FlushSchedule {
  /**
   * A promise that settles once everything buffered before the call has been written (or its write
   * failed and the data went back to be written next time): pass it to `ctx.waitUntil`. A write not
   * yet started is shared; otherwise the next one starts `intervalMs` after the previous one started.
   */
  request(): Promise<void>;
}

/** The flush policy of one isolate: writes coalesced, at most one starting per interval. */
export function flushSchedule(options: FlushScheduleOptions): FlushSchedule {
  const { flush, now, sleep, onError } = options;
  const intervalMs = options.intervalMs ?? WORKER_FLUSH_INTERVAL_MS;
  let waiting: Promise<void> | null = null;
  let lastStart = -Infinity;
  return {
    request() {
      if (waiting) return waiting;
      const delay = Math.max(0, lastStart + intervalMs - now());
      const write = async (): Promise<void> => {
        try {
          // Always suspends at least once, so `waiting` is assigned before it is cleared.
          await (delay > 0 ? sleep(delay) : Promise.resolve());
        } finally {
          // From here on, newly buffered data is not in this write: the next request starts another.
          waiting = null;
        }
        lastStart = now();
        await flush();
      };
      waiting = write().catch((e: unknown) => {
        onError(e);
      });
      return waiting;
    },
  };
}
