/**
 * Markdown list continuation without doubled markers. Enter in a list item starts the next item with
 * its marker ("- ", "2. "); someone who types the marker anyway would get "- - Gentoo". When the line
 * holds nothing but that automatic marker and the typed character begins a marker, the automatic one
 * gives way to what is typed.
 */

const AUTO_MARKER = /^(\s*)(?:[-*+]|\d+[.)]) $/;

/**
 * For a keystroke `typed` at the end of a line whose text before the cursor is `before` (and nothing
 * after), the offset in the line from which the automatic marker must be removed, or null to type as usual.
 */
export function markerGivesWay(before: string, after: string, typed: string): number | null {
  if (after !== '' || typed.length !== 1) return null;
  const m = AUTO_MARKER.exec(before);
  if (!m) return null;
  const marker = before.trim();
  const bullet = /^[-*+]$/.test(marker);
  if (bullet ? typed !== marker : !/\d/.test(typed)) return null;
  return m[1].length;
}
