/**
 * The default training backend, chosen in Settings and read by whatever starts a pipeline run (the
 * notebook's pipeline cells): `auto` measures the backends and keeps the fastest.
 */
import { BACKENDS, type BackendChoice } from '../../../workers/protocol';
import { getSetting, setSetting } from '../../lib/db';

/** The settings key of the default backend. */
export const TRAIN_BACKEND_SETTING = 'train.backend';

export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', ...BACKENDS];

/** Whether a stored value is still a backend this build knows (settings outlive builds). */
export function isBackendChoice(v: unknown): v is BackendChoice {
  return typeof v === 'string' && (BACKEND_CHOICES as readonly string[]).includes(v);
}

/** The chosen default backend; `auto` when none was chosen or the stored one is unknown. */
export async function getTrainingBackend(): Promise<BackendChoice> {
  const v = await getSetting<unknown>(TRAIN_BACKEND_SETTING, 'auto');
  return isBackendChoice(v) ? v : 'auto';
}

/** Remembers the default backend for the next pipeline runs. */
export async function setTrainingBackend(choice: BackendChoice): Promise<void> {
  await setSetting(TRAIN_BACKEND_SETTING, choice);
}
