/** Fields up to this many bytes are remembered by their bytes; longer ones are rarely categories. */
const MAX_REMEMBERED_BYTES = 64;
/** Distinct fields remembered per column: categories repeat a few; free text would only fill memory. */
const MAX_REMEMBERED_FIELDS = 4096;

/**
 * The texts of one column's fields, remembered by their bytes: a repeated category becomes the same
 * string each time without decoding, slicing or hashing a new one (the dictionary's lookup of a string
 * it has seen uses the hash the string keeps). Only ASCII fields are remembered.
 */
export class FieldTexts {
  private readonly byHash = new Map<number, string[]>();
  private size = 0;

  /** The text of bytes [from, to); `read` makes it when it is not remembered. */
  text(bytes: Uint8Array, from: number, to: number, read: (from: number, to: number) => string): string {
    if (to - from > MAX_REMEMBERED_BYTES) return read(from, to);
    let hash = 0x811c9dc5;
    let high = 0;
    for (let i = from; i < to; i++) {
      high |= bytes[i];
      hash = Math.imul(hash ^ bytes[i], 0x01000193);
    }
    if (high >= 0x80) return read(from, to);
    const known = this.byHash.get(hash);
    if (known) for (const s of known) if (sameText(s, bytes, from, to)) return s;
    const s = read(from, to);
    if (this.size < MAX_REMEMBERED_FIELDS) {
      if (known) known.push(s);
      else this.byHash.set(hash, [s]);
      this.size++;
    }
    return s;
  }
}

function sameText(s: string, bytes: Uint8Array, from: number, to: number): boolean {
  if (s.length !== to - from) return false;
  for (let i = from; i < to; i++) if (s.charCodeAt(i - from) !== bytes[i]) return false;
  return true;
}
