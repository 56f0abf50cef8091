/**
 * Lets queued requests run in the middle of a long job (a flush): a timer rather than a microtask,
 * so I/O callbacks get their turn. Works on Node and Workers alike.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
