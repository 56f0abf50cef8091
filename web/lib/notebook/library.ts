/**
 * The notebook list's operations: create, rename, duplicate, delete, import and export `.ipynb`.
 * They go through an open session when there is one, so its pending autosave cannot undo them.
 */
import { db, type Notebook } from '../db';
import { chartSvg } from '../outputs/chart-marks';
import { fromIpynb, toIpynb } from './ipynb';
import { closeSession, loadedSession } from './session.svelte';
import { duplicateNotebook, newNotebook, randomId, SAMPLE_TITLE, sampleNotebook } from './templates';

const UNTITLED = 'Untitled notebook';

/** "Untitled notebook", then "Untitled notebook 2", … — a name not taken yet. */
export function freeTitle(base: string, taken: readonly string[]): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base} ${n}`)) return `${base} ${n}`;
}

async function titles(): Promise<string[]> {
  return (await db.notebooks.toArray()).map((n) => n.title);
}

export async function createNotebook(): Promise<string> {
  const nb = newNotebook(freeTitle(UNTITLED, await titles()), Date.now());
  await db.notebooks.add(nb);
  return nb.id;
}

/** Makes the sample notebook (penguins, the whole loop) and returns its id. */
export async function createSampleNotebook(): Promise<string> {
  const nb = sampleNotebook(freeTitle(SAMPLE_TITLE, await titles()), Date.now());
  await db.notebooks.add(nb);
  return nb.id;
}

export async function renameNotebook(id: string, title: string): Promise<void> {
  const clean = title.trim() || UNTITLED;
  const session = loadedSession(id);
  if (session) {
    session.setTitle(clean);
    await session.flush();
  } else await db.notebooks.update(id, { title: clean, updatedAt: Date.now() });
}

/** A copy named "<title> (copy)", with fresh cell ids; returns its id. */
export async function duplicateNotebookById(id: string): Promise<string | null> {
  const session = loadedSession(id);
  if (session) await session.flush();
  const nb = await db.notebooks.get(id);
  if (!nb) return null;
  const copy = duplicateNotebook(nb, freeTitle(`${nb.title} (copy)`, await titles()), Date.now());
  await db.notebooks.add(copy);
  return copy.id;
}

export async function deleteNotebook(id: string): Promise<void> {
  closeSession(id);
  await db.notebooks.delete(id);
}

/** Imports a `.ipynb` file as a new notebook; throws `bad_input` naming what is wrong. */
export async function importIpynbFile(file: File): Promise<string> {
  let doc: unknown;
  try {
    doc = JSON.parse(await file.text());
  } catch {
    throw new Error(`${file.name} is not JSON, so not a .ipynb notebook`);
  }
  const nb = fromIpynb(doc, file.name.replace(/\.ipynb$/i, ''), Date.now(), randomId);
  // A notebook imported twice gets its own id; its cells keep theirs (ids are per notebook).
  await db.notebooks.add(nb);
  return nb.id;
}

/** Saves a notebook as `<title>.ipynb` through the browser's download. */
export function downloadIpynb(nb: Notebook): void {
  const text = JSON.stringify(toIpynb(nb, { chartSvg }), null, 1);
  const url = URL.createObjectURL(new Blob([text], { type: 'application/x-ipynb+json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `${nb.title.replace(/[\\/:*?"<>|]+/g, '-') || 'notebook'}.ipynb`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
