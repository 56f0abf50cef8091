import { zipSync } from 'fflate';
import { FlywheelError } from '../errors';
import { canonicalJson, sha256Hex } from '../hash';
import { BUNDLE_FORMAT, type Manifest } from './manifest';
import { unzipCapped } from './unzip';
import type { LayersModelJson } from '../infer/layers-format';

/** Largest bundle accepted, compressed; a tabular model is a few MiB at most. */
export const MAX_BUNDLE_BYTES = 64 * 2 ** 20;
/**
 * Largest total inflated size, counted as the bytes come out (core/bundle/unzip.ts), never taken
 * from the zip's headers: twice the compressed limit, since weights barely compress.
 */
export const MAX_INFLATED_BYTES = 2 * MAX_BUNDLE_BYTES;
const REQUIRED = ['manifest.json', 'model.json', 'weights.bin'] as const;

/** The tfjs Layers `model.json`, as `tf.loadLayersModel` reads it (one type with what inference reads). */
export type { LayersModelJson };

export interface BundleParts {
  manifest: Omit<Manifest, 'files' | 'format'>;
  modelJson: LayersModelJson;
  weights: Uint8Array;
  holdoutCsv?: string;
}

export interface Bundle {
  /** sha256 of the canonical manifest. */
  id: string;
  manifest: Manifest;
  modelJson: LayersModelJson;
  weights: Uint8Array;
  holdoutCsv: string | null;
  bytes: Uint8Array;
}

/** Zips a bundle: hashes every file into the manifest, then the manifest's hash is the bundle id. */
export async function writeBundle(parts: BundleParts): Promise<Bundle> {
  const files: Record<string, Uint8Array> = {
    'model.json': new TextEncoder().encode(JSON.stringify(parts.modelJson)),
    'weights.bin': parts.weights,
  };
  if (parts.holdoutCsv !== undefined) files['holdout.csv'] = new TextEncoder().encode(parts.holdoutCsv);
  const hashes: Record<string, string> = {};
  for (const [name, data] of Object.entries(files)) hashes[name] = await sha256Hex(data);
  const manifest: Manifest = { format: BUNDLE_FORMAT, ...parts.manifest, files: hashes };
  const manifestText = canonicalJson(manifest);
  // Fixed timestamps keep the zip byte-identical for identical contents.
  const bytes = zipSync(
    { 'manifest.json': new TextEncoder().encode(manifestText), ...files },
    { level: 6, mtime: new Date('2020-01-01T00:00:00Z') },
  );
  return {
    id: await sha256Hex(manifestText),
    manifest,
    modelJson: parts.modelJson,
    weights: parts.weights,
    holdoutCsv: parts.holdoutCsv ?? null,
    bytes,
  };
}

/**
 * Reads and verifies a bundle. Refuses anything too large, or inflating to more than
 * MAX_INFLATED_BYTES (stopping there, whatever the headers declare); then a missing file, an unknown
 * format, or any file whose sha256 differs from the manifest's — each a `bad_bundle` error naming
 * the file. `unzip` says where the inflating runs (default: this thread).
 */
export async function readBundle(bytes: Uint8Array, name = 'bundle'): Promise<Bundle> {
  const fail = (message: string, path = name): never => {
    throw new FlywheelError('bad_bundle', `${name}: ${message}`, [{ path, message }]);
  };
  if (bytes.byteLength > MAX_BUNDLE_BYTES)
    fail(`is ${bytes.byteLength} bytes, above the ${MAX_BUNDLE_BYTES}-byte limit`);
  if (bytes.byteLength < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) fail('is not a zip file');
  const opened = await unzipCapped(bytes, MAX_INFLATED_BYTES);
  if (!opened.ok)
    return fail(opened.reason === 'too_large' ? opened.message : `is not a readable zip: ${opened.message}`);
  const unzipped = opened.files;
  for (const file of REQUIRED) if (!unzipped[file]) fail(`has no ${file}`, file);
  const manifestText = new TextDecoder().decode(unzipped['manifest.json']);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(manifestText) as Manifest;
  } catch {
    return fail('manifest.json is not valid JSON', 'manifest.json');
  }
  if (manifest.format !== BUNDLE_FORMAT)
    fail(
      `manifest format ${String(manifest.format)} is not supported (this Flywheel reads format ${BUNDLE_FORMAT})`,
      'manifest.json',
    );
  if (!manifest.files || typeof manifest.files !== 'object')
    fail('manifest.json lists no file hashes', 'manifest.json');
  for (const [file, expected] of Object.entries(manifest.files)) {
    const data = unzipped[file];
    if (!data) fail(`has no ${file}, which its manifest lists`, file);
    const actual = await sha256Hex(data);
    if (actual !== expected) fail(`${file} does not match its sha256 in the manifest (tampered or corrupt)`, file);
  }
  for (const file of Object.keys(unzipped)) {
    if (file !== 'manifest.json' && !(file in manifest.files))
      fail(`holds ${file}, which its manifest does not list`, file);
  }
  let modelJson: LayersModelJson;
  try {
    modelJson = JSON.parse(new TextDecoder().decode(unzipped['model.json'])) as LayersModelJson;
  } catch {
    return fail('model.json is not valid JSON', 'model.json');
  }
  return {
    id: await sha256Hex(canonicalJson(manifest)),
    manifest,
    modelJson,
    weights: unzipped['weights.bin'],
    holdoutCsv: unzipped['holdout.csv'] ? new TextDecoder().decode(unzipped['holdout.csv']) : null,
    bytes,
  };
}
