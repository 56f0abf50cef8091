/**
 * The JSON text of the one row of a `{"instances": [row]}` body, cut from the body instead of
 * re-serialised: formatting a row's numbers for the prediction log cost as much as parsing the whole
 * request, and the client already sent that text.
 */

const OPENING = /^\s*\{\s*"instances"\s*:\s*\[/;

/**
 * `text` must be a body that parsed to an object whose only key is `instances`, holding an array of
 * exactly one object. The text must also begin `{"instances": [` (spaces allowed, the key written
 * plainly) and end `]}`: then that `[` opens the array and the last `]` closes an array, and what
 * lies between is the row (with whitespace around it) — unless the key was duplicated, since
 * JSON.parse keeps the last one: `{"instances":[a],"instances":[b]}` parses to one row while the span
 * holds `a],"instances":[b`. Every later key lies inside the span, and a key that parses to
 * `instances` is written either plainly or with a backslash escape, so a span with neither
 * `"instances"` nor a backslash is the row. A row that holds either (rare) is refused too, and the
 * log then serialises it. Returns null when the span is not known to be the row.
 */
export function singleRowText(text: string): string | null {
  const head = OPENING.exec(text);
  if (!head) return null;
  const start = head[0].length;
  // The closing `]}`, read from the end (a regex anchored at the end would try every position).
  let end = text.length;
  while (end > 0 && isJsonSpace(text.charCodeAt(end - 1))) end--;
  if (text.charCodeAt(--end) !== CLOSE_BRACE) return null;
  while (end > 0 && isJsonSpace(text.charCodeAt(end - 1))) end--;
  if (text.charCodeAt(--end) !== CLOSE_BRACKET || end < start) return null;
  // Two native searches instead of a scan in JS: this runs on every one-row predict.
  const span = text.slice(start, end);
  return span.includes('"instances"') || span.includes('\\') ? null : span;
}

const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/** JSON's whitespace (RFC 8259 §2), which `\s` in OPENING also covers. */
function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}
