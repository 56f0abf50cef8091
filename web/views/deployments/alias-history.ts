/**
 * Where an alias pointed before: the edge's audit log records every alias move with the version it
 * replaced, so "roll back" means moving champion to that previous version.
 */
import type { ModelEvent } from '../../../core/api/contract';

/** The version `alias` pointed at before its latest move, or null when it never moved. */
export function previousVersion(events: readonly ModelEvent[], alias = 'champion'): number | null {
  const moves = events
    .filter(
      (e) =>
        e.type === 'alias' &&
        typeof e.data === 'object' &&
        e.data !== null &&
        (e.data as { alias?: unknown }).alias === alias,
    )
    .sort((a, b) => b.id - a.id);
  const previous = (moves[0]?.data as { previous?: unknown } | undefined)?.previous;
  return typeof previous === 'number' ? previous : null;
}
