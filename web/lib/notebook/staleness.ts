/**
 * Dependency-aware staleness, as marimo's lazy mode: a code cell depends on the cells that declare a
 * name it reads. Editing (or re-running) a cell makes every cell that transitively depends on it
 * stale, so "Run stale cells" re-runs exactly what could now show an out-of-date output.
 */
import { analyzeCell } from '../../../core/notebook/cell-compiler';
import type { Cell, CellStatus } from '../db';

type Analysis = { declared: string[]; references: string[] } | null;

/** Parses are memoised by source text: the graph is rebuilt on every keystroke, cells rarely change. */
const MEMO_LIMIT = 500;
const memo = new Map<string, Analysis>();

/** What a code cell declares at top level and reads; empty for other kinds and for unparsable code. */
export function cellNames(cell: Pick<Cell, 'kind' | 'source'>): { declared: string[]; references: string[] } {
  if (cell.kind !== 'code') return { declared: [], references: [] };
  let a = memo.get(cell.source);
  if (a === undefined) {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    a = analyzeCell(cell.source);
    memo.set(cell.source, a);
  }
  return a ?? { declared: [], references: [] };
}

/**
 * The ids of the cells that transitively depend on cell `id`, in notebook order, not including it.
 * `alsoDeclared` adds names the cell declared before an edit (a renamed variable still leaves the
 * cells that read the old name out of date).
 */
export function dependentsOf(
  cells: readonly Pick<Cell, 'id' | 'kind' | 'source'>[],
  id: string,
  alsoDeclared: readonly string[] = [],
): string[] {
  const names = cells.map((c) => cellNames(c));
  const found = new Set<string>();
  const frontier: Set<string>[] = [];
  const start = cells.findIndex((c) => c.id === id);
  if (start < 0) return [];
  frontier.push(new Set([...names[start].declared, ...alsoDeclared]));
  while (frontier.length) {
    const declared = frontier.pop()!;
    cells.forEach((c, i) => {
      if (c.id === id || found.has(c.id)) return;
      if (names[i].references.some((r) => declared.has(r))) {
        found.add(c.id);
        frontier.push(new Set(names[i].declared));
      }
    });
  }
  return cells.filter((c) => found.has(c.id)).map((c) => c.id);
}

/** Statuses whose output a change upstream can make out of date (never-run cells have none). */
const HAS_OUTPUT: readonly CellStatus[] = ['ok', 'error'];

/** Marks the dependents of `id` stale where they show an output; returns the ids it changed. */
export function markDependentsStale(cells: Cell[], id: string, alsoDeclared: readonly string[] = []): string[] {
  const changed: string[] = [];
  const deps = new Set(dependentsOf(cells, id, alsoDeclared));
  for (const c of cells) {
    if (deps.has(c.id) && HAS_OUTPUT.includes(c.status)) {
      c.status = 'stale';
      changed.push(c.id);
    }
  }
  return changed;
}
