/**
 * The JSON text of the one row of a `{"instances": [row]}` body, cut from the body instead of
 * re-serialised: formatting a row's numbers for the prediction log cost as much as parsing the whole
 * request, and the client already sent that text.
 */

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPENING = /^\s*\{\s*"instances"\s*:\s*\[/;
const CLOSING = /\]\s*\}\s*$/;

/**
 * `text` must be a body that parsed to an object whose only key is `instances`, holding an array of
 * exactly one object. The text must also begin `{"instances": [` (spaces allowed, the key written
 * plainly) and end `]}`: then that `[` opens the array and the last `]` closes an array, and what
 * lies between is the row (with whitespace around it) — unless the key was duplicated, since
 * JSON.parse keeps the last one: `{"instances":[a],"instances":[b]}` parses to one row while the span
 * holds `a],"instances":[b`. So the span is accepted only if it never closes more than it opened
 * (outside strings), which such a span always does. Returns null when the span is not the row.
 */
export function singleRowText(text: string): string | null {
  const head = OPENING.exec(text);
  const tail = CLOSING.exec(text);
  if (!head || !tail) return null;
  const start = head[0].length;
  const end = tail.index;
  if (end < start) return null;
  let depth = 0;
  let inString = false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --depth < 0) return null;
  }
  return depth === 0 && !inString ? text.slice(start, end) : null;
}
