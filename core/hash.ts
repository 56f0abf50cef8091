/**
 * Hashes: content hashes (sha256 through Web Crypto) for bundle files, bundle ids and pipeline cache
 * keys, and a fast 32-bit string hash for sketches, routing and sampling.
 */

export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** JSON with object keys sorted at every level: the same value always serialises to the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v)) {
      return Object.fromEntries(
        Object.keys(v as object)
          .sort()
          .map((k) => [k, (v as Record<string, unknown>)[k]]),
      );
    }
    return v;
  });
}

/** sha256 of the canonical JSON of `value`. */
export function hashJson(value: unknown): Promise<string> {
  return sha256Hex(canonicalJson(value));
}

/** murmur3's 32-bit finaliser: spreads the bits of an integer hash. */
export function fmix(h: number): number {
  return mix32(h) >>> 0;
}

/** fmix's bits as a signed 32-bit integer, for hot loops that must stay in int32 (see hashNumberHalves). */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** FNV-1a over UTF-16 code units, finalised: a 32-bit hash of a string. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return fmix(h >>> 0);
}
