/**
 * Local models grouped by name (a name is a model; each bundle a version of it), newest first in
 * each group and groups by their newest version, as a registry lists them.
 */
export interface Grouped<M> {
  name: string;
  versions: M[];
}

export function groupModels<M extends { name: string; createdAt: number }>(models: readonly M[]): Grouped<M>[] {
  const groups = new Map<string, M[]>();
  for (const m of models) {
    const list = groups.get(m.name);
    if (list) list.push(m);
    else groups.set(m.name, [m]);
  }
  return [...groups]
    .map(([name, versions]) => ({ name, versions: versions.sort((a, b) => b.createdAt - a.createdAt) }))
    .sort((a, b) => b.versions[0].createdAt - a.versions[0].createdAt || (a.name < b.name ? -1 : 1));
}
