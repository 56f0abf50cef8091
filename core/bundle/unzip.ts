/**
 * Unzipping an untrusted bundle with a cap on the bytes actually inflated. A zip's headers declare
 * each file's size, but nothing makes them true: a 4 MB upload whose headers claim kilobytes can
 * inflate to gigabytes. So fflate reads only the archive's structure (names, methods, the compressed
 * bytes), and each deflated file is inflated by the platform's `DecompressionStream('deflate-raw')`,
 * counting the bytes as they come out and cancelling the stream past the cap. Sizes the headers
 * declare are only used to refuse early, never trusted to bound the work.
 *
 * The platform's inflater is native zlib (in Node it runs on libuv's thread pool, off the thread that
 * serves requests) and hands out fixed-size chunks, so memory stays at the cap plus a chunk. fflate's
 * own streaming inflater, fed in small steps to keep the count honest, left ~30 MB of garbage behind
 * for a 120 KB bundle, and the process kept that high-water mark.
 */
import { Unzip, type AsyncFlateStreamHandler, type UnzipDecoder, type UnzipFile } from 'fflate';
import { concatBytes, inflateCapped } from '../inflate';

/** The two methods bundles use: stored as is, and deflated. */
const STORED = 0;
const DEFLATED = 8;

/** An archive's files, or why there are none: too much inflated data, or an unreadable zip. */
export type UnzipResult =
  { ok: true; files: Record<string, Uint8Array> } | { ok: false; reason: 'too_large' | 'unreadable'; message: string };

/** One file of the archive as fflate delivers it: its bytes still compressed when `deflated`. */
interface Entry {
  name: string;
  deflated: boolean;
  parts: Uint8Array[];
  complete: boolean;
}

/**
 * The "decoder" fflate's `Unzip` is given for deflated files: it keeps the compressed bytes as they
 * are, so that inflating happens after, with the cap (fflate passes stored files through itself).
 */
class KeepCompressed implements UnzipDecoder {
  static readonly compression = DEFLATED;
  ondata: AsyncFlateStreamHandler = () => {};

  push(data: Uint8Array, final: boolean): void {
    this.ondata(null, data, final);
  }
}

const tooLarge = (maxInflated: number, how: string): UnzipResult => ({
  ok: false,
  reason: 'too_large',
  message: `inflates to more than ${maxInflated} bytes (the limit), ${how}`,
});
const unreadable = (message: string): UnzipResult => ({ ok: false, reason: 'unreadable', message });

/** Unzips `bytes`, stopping as soon as more than `maxInflated` bytes have come out, whatever the headers say. */
export async function unzipCapped(bytes: Uint8Array, maxInflated: number): Promise<UnzipResult> {
  const listed = listEntries(bytes, maxInflated);
  if (!Array.isArray(listed)) return listed;
  const files: Record<string, Uint8Array> = {};
  let left = maxInflated;
  for (const entry of listed) {
    if (!entry.complete) return unreadable(`${entry.name} is cut short`);
    const stored = concatBytes(entry.parts);
    const data = entry.deflated ? await inflateCapped(stored, 'deflate-raw', left) : stored;
    if (typeof data === 'string') return unreadable(`${entry.name}: ${data}`);
    if (data === null || data.byteLength > left) return tooLarge(maxInflated, 'whatever its headers declare');
    left -= data.byteLength;
    files[entry.name] = data;
  }
  return { ok: true, files };
}

/** The archive's files with their stored bytes, or why it cannot be read; refuses early when the headers themselves declare too much. */
function listEntries(bytes: Uint8Array, maxInflated: number): Entry[] | UnzipResult {
  const entries: Entry[] = [];
  const open: UnzipFile[] = [];
  let declared = 0;
  let failure: UnzipResult | null = null;
  const unzip = new Unzip((file) => {
    if (failure) return;
    // An honest header that declares too much is refused before anything is inflated.
    declared += file.originalSize ?? 0;
    if (declared > maxInflated) {
      failure = tooLarge(maxInflated, 'as its headers declare');
      return;
    }
    if (file.compression !== STORED && file.compression !== DEFLATED) {
      failure = unreadable(`${file.name} uses compression method ${file.compression}; bundles are stored or deflated`);
      return;
    }
    const entry: Entry = { name: file.name, deflated: file.compression === DEFLATED, parts: [], complete: false };
    entries.push(entry);
    open.push(file);
    file.ondata = (err, data, final) => {
      if (err) failure ??= unreadable(`${file.name}: ${err.message}`);
      if (failure) return;
      if (data.byteLength > 0) entry.parts.push(data);
      if (final) entry.complete = true;
    };
    file.start();
  });
  unzip.register(KeepCompressed);
  try {
    unzip.push(bytes, true);
  } catch (e) {
    failure ??= unreadable(e instanceof Error ? e.message : String(e));
  }
  if (failure) {
    for (const file of open) file.terminate();
    return failure;
  }
  return entries;
}
