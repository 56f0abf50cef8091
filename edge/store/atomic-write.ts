/** Crash-safe file writes on Node: a reader, or a restart after a crash, sees the old file or the new one, never a part. */
import { randomUUID } from 'node:crypto';
import { link, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';

export interface AtomicWriteOptions {
  /** Permission bits of the new file (before the umask); 0o600 for secrets. */
  mode?: number;
  /** When false, an existing file is left alone and the write fails with EEXIST. */
  overwrite?: boolean;
}

/** Longest part of the target's name kept in the temp file's name, so the temp name stays under NAME_MAX (255). */
const TEMP_NAME_STEM = 100;
/** The temp files `writeFileAtomic` names: `.<target>.<uuid>.tmp`, and nothing else. */
const TEMP_NAME = /^\..+\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.tmp$/;
/** A temp file this old belongs to a write that died (a write lasts seconds); younger ones may be a write under way in another process. */
export const STALE_TEMP_MS = 15 * 60_000;

/**
 * Writes `data` to `file` atomically and durably: the bytes go to a fresh temp file in the same
 * folder (so the rename cannot cross file systems), which is fsynced and then renamed over `file`
 * (or hard-linked to it when `overwrite` is false, which fails with EEXIST if `file` appeared
 * meanwhile), and the folder is fsynced so the new name survives a power loss. On any failure the temp
 * file is removed. The folder must exist. A crash between the writes can leave a `.*.tmp` file behind,
 * never a partial `file`.
 */
export async function writeFileAtomic(
  file: string,
  data: Uint8Array | string,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const { mode = 0o644, overwrite = true } = options;
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file).slice(0, TEMP_NAME_STEM)}.${randomUUID()}.tmp`);
  const handle = await open(temp, 'wx', mode);
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (overwrite) {
      await rename(temp, file);
    } else {
      await link(temp, file);
      await unlink(temp);
    }
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    throw e;
  }
  await syncDir(dir);
}

/**
 * fsyncs a folder, making the names created or renamed in it durable. Windows cannot open a folder
 * for fsync (and its renames are journaled by NTFS), so there it does nothing.
 */
export async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Removes, under `root` (recursively), the temp files of writes that a crash interrupted: only names
 * `writeFileAtomic` makes, and only those last modified more than STALE_TEMP_MS before `now`.
 * Returns how many were removed.
 */
export async function sweepStaleTempFiles(root: string, now = Date.now()): Promise<number> {
  let removed = 0;
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile() || !TEMP_NAME.test(entry.name)) continue;
    const file = path.join(entry.parentPath ?? entry.path, entry.name);
    const stats = await stat(file).catch(() => null);
    if (!stats || now - stats.mtimeMs < STALE_TEMP_MS) continue;
    if (
      await unlink(file).then(
        () => true,
        () => false,
      )
    )
      removed++;
  }
  return removed;
}
