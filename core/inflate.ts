/**
 * Inflating compressed bytes with the platform's `DecompressionStream` (native zlib in Node, browsers
 * and workerd), stopping at a cap on the output: for zip entries and for request bodies sent with a
 * Content-Encoding, whose compressed size says nothing about what they inflate to.
 */

/** The output, `null` once it passes `maxBytes`, or a message when the data is not valid `format`. */
export async function inflateCapped(
  compressed: Uint8Array,
  format: CompressionFormat,
  maxBytes: number,
): Promise<Uint8Array | null | string> {
  // A copy the stream owns (the platform's streams take ArrayBuffer-backed chunks only); compressed, so small beside the output.
  const source = new ReadableStream<Uint8Array<ArrayBuffer>>({
    start(controller) {
      controller.enqueue(new Uint8Array(compressed));
      controller.close();
    },
  });
  const reader = source.pipeThrough(new DecompressionStream(format)).getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return concatBytes(parts);
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel();
        return null;
      }
      parts.push(value);
    }
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
