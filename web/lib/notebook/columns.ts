/**
 * The columns of a pipeline cell's dataset, for the target and feature pickers: profiled once per
 * source in the pipeline worker (off the main thread), files read from db.datasets.
 */
import { db, newId } from '../db';
import { pipeline } from '../workers';

export interface ColumnInfo {
  name: string;
  type: 'number' | 'string';
}

const cache = new Map<string, Promise<{ rows: number; columns: ColumnInfo[] }>>();

/** Columns and row count of a source (`sample:…`, a URL, or a stored file's name). */
export function datasetColumns(source: string): Promise<{ rows: number; columns: ColumnInfo[] }> {
  let hit = cache.get(source);
  if (!hit) {
    hit = profile(source);
    cache.set(source, hit);
    // A failure is not cached: the file may be dropped again, the URL may come back.
    hit.catch(() => cache.delete(source));
  }
  return hit;
}

async function profile(source: string): Promise<{ rows: number; columns: ColumnInfo[] }> {
  const isRef = source.startsWith('sample:') || /^https?:\/\//i.test(source);
  let out;
  if (isRef) out = await pipeline().profile({ kind: 'source', source });
  else {
    const file = (await db.datasets.where('name').equals(source).sortBy('createdAt')).filter((d) => d.bytes).pop();
    if (!file?.bytes) throw new Error(`no file named "${source}" is stored in this browser: drop or pick it again`);
    out = await pipeline().profile({ kind: 'file', name: source, bytes: file.bytes.slice(0) });
  }
  return { rows: out.rows, columns: out.profile.columns.map((c) => ({ name: c.name, type: c.type })) };
}

/** Keeps a dropped or picked file in db.datasets (where the Data view lists it) and returns its name. */
export async function storeDatasetFile(file: File): Promise<string> {
  const bytes = await file.arrayBuffer();
  await db.datasets.add({ id: newId(), name: file.name, bytes, size: bytes.byteLength, createdAt: Date.now() });
  cache.delete(file.name);
  return file.name;
}
