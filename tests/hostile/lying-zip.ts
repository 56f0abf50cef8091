/**
 * A zip whose headers lie: it declares a small file, and its deflate stream inflates to a great many
 * zeros (zlib at level 1 turns 1 GiB of zeros into ~4.6 MB: the reported attack). zlib writes the
 * deflate data and fflate's streaming `Zip` writes the archive around it, taking the declared size
 * and CRC from us.
 */
import { Zip, type ZipInputFile } from 'fflate';
import { createDeflateRaw } from 'node:zlib';

const MIB = 2 ** 20;

/** A zip of one file, `name`, declared `declaredBytes` long, that inflates to `inflatedMiB` MiB of zeros. */
export async function lyingZip(
  inflatedMiB: number,
  name = 'manifest.json',
  declaredBytes = 1000,
): Promise<Uint8Array<ArrayBuffer>> {
  const deflate = createDeflateRaw({ level: 1, chunkSize: MIB });
  const deflated: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => deflated.push(chunk));
  const ended = new Promise((resolve, reject) => deflate.on('end', resolve).on('error', reject));
  const zeros = Buffer.alloc(MIB);
  for (let i = 0; i < inflatedMiB; i++) deflate.write(zeros);
  deflate.end();
  await ended;

  const parts: Uint8Array[] = [];
  const zip = new Zip((err, data) => {
    if (err) throw err;
    parts.push(data);
  });
  const file: ZipInputFile = { filename: name, size: declaredBytes, crc: 0, compression: 8 };
  zip.add(file);
  file.ondata!(null, Buffer.concat(deflated), true);
  zip.end();
  return new Uint8Array(Buffer.concat(parts));
}
