/** Which versions the drift panel offers, champion first, then the canary's, then the rest newest first. */
import type { ModelInfo } from '../../../core/api/contract';

export interface DriftVersion {
  version: number;
  role: 'champion' | 'canary' | null;
}

export function driftVersions(
  info: { versions: readonly { version: number }[] } & Pick<ModelInfo, 'aliases' | 'rollout'>,
): DriftVersion[] {
  const champion = info.aliases.champion ?? null;
  const canary = info.rollout && info.rollout.weight > 0 ? info.rollout.challenger : null;
  const role = (v: number): DriftVersion['role'] => (v === champion ? 'champion' : v === canary ? 'canary' : null);
  const rank = (v: number): number => (v === champion ? 0 : v === canary ? 1 : 2);
  return info.versions
    .map((v) => v.version)
    .sort((a, b) => rank(a) - rank(b) || b - a)
    .map((version) => ({ version, role: role(version) }));
}
