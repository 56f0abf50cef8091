/** HTTP status classes, the label Prometheus dashboards group requests by. */
export const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];
/** Indices in STATUS_CLASSES of the classes that count as errors. */
export const CLIENT_ERROR_CLASS = STATUS_CLASSES.indexOf('4xx');
export const SERVER_ERROR_CLASS = STATUS_CLASSES.indexOf('5xx');

/**
 * The index in STATUS_CLASSES of an HTTP status. A status outside 100–599 is not one a server sends,
 * so it can only be a failure of ours: it counts as 5xx.
 */
export function statusClassIndex(status: number): number {
  const c = Math.floor(status / 100);
  return c >= 1 && c <= 5 ? c - 1 : SERVER_ERROR_CLASS;
}
