/**
 * Typed views of a run's stored JSON (details, gates, lineage are `unknown` in the database, written
 * by the pipeline worker): each guard checks the shape the pipeline writes and returns null for
 * anything else, so an old or partial record shows less instead of breaking the page.
 */
import type { Lineage } from '../../../core/bundle/manifest';
import type { GateReport } from '../../../core/gates/report';
import type { ClassMetrics } from '../../../core/metrics/result';

export interface ConfusionDetails {
  labels: string[];
  matrix: number[][];
  perClass: ClassMetrics[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** The confusion matrix and per-class scores of classification details, when present and square. */
export function confusionDetails(details: unknown): ConfusionDetails | null {
  if (!isObject(details) || !Array.isArray(details.labels) || !Array.isArray(details.confusionMatrix)) return null;
  const labels = details.labels.map(String);
  const matrix = details.confusionMatrix as unknown[];
  if (
    matrix.length !== labels.length ||
    !matrix.every((r) => Array.isArray(r) && r.length === labels.length && r.every((c) => typeof c === 'number'))
  )
    return null;
  return {
    labels,
    matrix: matrix as number[][],
    perClass: Array.isArray(details.perClass) ? (details.perClass as ClassMetrics[]) : [],
  };
}

/** A gate report, when the run reached the gate step. */
export function gateReport(gates: unknown): GateReport | null {
  return isObject(gates) && typeof gates.passed === 'boolean' && Array.isArray(gates.checks)
    ? (gates as unknown as GateReport)
    : null;
}

/** The run's lineage (data and spec hashes, backend, timings), when recorded. */
export function lineageOf(lineage: unknown): Lineage | null {
  return isObject(lineage) && typeof lineage.dataHash === 'string' && typeof lineage.specHash === 'string'
    ? (lineage as unknown as Lineage)
    : null;
}
