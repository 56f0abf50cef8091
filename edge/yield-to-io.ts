/**
 * Lets queued requests run in the middle of a long job (a flush): a timer rather than a microtask,
 * so I/O callbacks get their turn. Works on Node and Workers alike. (The training loop's
 * core/model/yield.ts yields to the page instead, with scheduler.yield or a MessageChannel, which
 * a browser does not clamp as it clamps nested timers.)
 */
export function yieldToIo(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
