/**
 * The champion a notebook's pipeline run is compared with. A `vsChampion` gate means "better than
 * what serves now", so the run looks up the model of the same name on this server's edge and hands
 * its champion's metrics to the pipeline, as the Autopilot's jobs carry them. Without such a gate, a
 * name, a model of that name or a champion, there is nothing to compare with: the gates then say so.
 */
import type { GateSpec } from '../../core/gates';
import { isFlywheelError } from '../../core/errors';
import type { EdgeTarget } from './db';
import { edgeClient } from './edges';

export interface ChampionRef {
  metrics: Record<string, number | null>;
  version: string;
}

/** The champion of `spec.name` on `edge`, or null when the spec does not compare with one or there is none. Other failures (an unreachable edge) throw. */
export async function championFor(
  spec: { name?: string; gates?: readonly GateSpec[] },
  edge: EdgeTarget,
): Promise<ChampionRef | null> {
  if (!spec.name || !spec.gates?.some((g) => g.vsChampion)) return null;
  let info;
  try {
    info = await edgeClient(edge).model(spec.name);
  } catch (e) {
    if (isFlywheelError(e) && e.code === 'not_found') return null;
    throw e;
  }
  const version = info.aliases.champion;
  const champion = info.versions.find((v) => v.version === version);
  return champion ? { metrics: champion.metrics, version: String(version) } : null;
}
