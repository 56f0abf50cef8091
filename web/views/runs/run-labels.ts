/** Labels that tell selected runs apart: the name alone when unique, else the name and a short id. */
export function runLabels(runs: readonly { id: string; name: string }[]): string[] {
  const counts = new Map<string, number>();
  for (const r of runs) counts.set(r.name, (counts.get(r.name) ?? 0) + 1);
  return runs.map((r) => ((counts.get(r.name) ?? 0) > 1 ? `${r.name} · ${r.id.slice(0, 6)}` : r.name));
}
