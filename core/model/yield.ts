/**
 * Hands control back to the event loop so an abort message, a UI frame or a progress post can run
 * between training steps. Prefers `scheduler.yield` (Chromium), then a MessageChannel round trip
 * (browsers, workers, Node, workerd), because nested `setTimeout(0)` is clamped to 4 ms in browsers.
 */
interface Scheduler {
  yield?: () => Promise<void>;
}

export function yieldToEventLoop(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: Scheduler }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  if (typeof MessageChannel === 'function') {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}
