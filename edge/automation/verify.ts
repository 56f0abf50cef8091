/**
 * Verification before any traffic: the challenger and the champion are loaded in the serving runtime
 * and scored on the challenger bundle's held-out rows plus the edge's recent labelled feedback; the
 * policy's gates then compare the two. The report is what the `verify` event records.
 */
import Papa from 'papaparse';
import type { Policy } from '../../core/automation';
import { tableFromRecords } from '../../core/data/table-from-cells';
import { column, takeRows, type Table } from '../../core/data/table';
import { encodeTable } from '../../core/features';
import { evaluateGates, type GateReport, type GateSpec } from '../../core/gates';
import { classificationMetrics, metricValues, regressionMetrics } from '../../core/metrics';
import { decodeOutputs } from '../../core/model/head';
import type { LoadedVersion } from '../serving';

/** Reserved feedback rows needed before they count as evidence of their own. */
export const MIN_VERIFY_FEEDBACK = 10;

export interface Verification {
  passed: boolean;
  rows: { holdout: number; feedback: number };
  challenger: Record<string, number | null>;
  champion: Record<string, number | null>;
  /** The deciding gates: on reserved feedback when there is enough of it, else on the held-out rows. */
  gates: GateReport;
  /** Which rows decided. */
  basis: 'reserved feedback' | 'held-out rows';
  /** Metrics on the challenger's held-out rows, reported alongside when feedback decided. */
  holdout: { challenger: Record<string, number | null>; champion: Record<string, number | null> } | null;
}

/** The gate a policy without gates gets: the challenger must not be worse on the primary metric. */
export function defaultGates(policy: Policy, task: 'classification' | 'regression'): GateSpec[] {
  const metric = policy.primaryMetric ?? (task === 'classification' ? 'accuracy' : 'r2');
  return [{ metric, vsChampion: { minDelta: 0 } } as GateSpec];
}

/**
 * Scores both versions and applies the gates. The fair evidence is the reserved feedback: ground
 * truth from production that neither model trained on. The challenger's held-out rows are unseen by
 * the challenger but, after a retrain on the original data, mostly seen by the champion (biased
 * towards it), and a challenger trained on corrupted data has equally corrupted held-out labels; so
 * they decide only while there is too little reserved feedback, and are reported otherwise.
 */
export function verifyChallenger(
  policy: Policy,
  challenger: LoadedVersion,
  champion: LoadedVersion,
  holdoutCsv: string | null,
  feedback: Record<string, string | number | null>[],
): Verification {
  const holdout = holdoutCsv
    ? (Papa.parse<Record<string, string>>(holdoutCsv, { header: true, skipEmptyLines: 'greedy', dynamicTyping: true })
        .data as Record<string, string | number | null>[])
    : [];
  const target = challenger.manifest.signature.output.target;
  const gateSpecs = policy.gates.length ? policy.gates : defaultGates(policy, challenger.manifest.task);
  const judge = (rows: Record<string, string | number | null>[], name: string) => {
    const table = tableFromRecords(
      rows.filter((r) => r[target] !== null && r[target] !== undefined && r[target] !== ''),
      name,
    );
    const a = score(challenger, table);
    const b = score(champion, table);
    return { a, b, report: evaluateGates(gateSpecs, a, b) };
  };
  const rows = { holdout: holdout.length, feedback: feedback.length };
  const held = holdout.length ? judge(holdout, 'held-out rows') : null;
  if (feedback.length >= MIN_VERIFY_FEEDBACK || !held) {
    const fb = judge(feedback, 'reserved feedback');
    return {
      passed: fb.report.passed,
      rows,
      challenger: fb.a,
      champion: fb.b,
      gates: fb.report,
      basis: 'reserved feedback',
      holdout: held ? { challenger: held.a, champion: held.b } : null,
    };
  }
  return {
    passed: held.report.passed,
    rows,
    challenger: held.a,
    champion: held.b,
    gates: held.report,
    basis: 'held-out rows',
    holdout: null,
  };
}

/** Metrics of one loaded version on labelled rows; rows whose label the model never learned are skipped. */
function score(v: LoadedVersion, table: Table): Record<string, number | null> {
  const { manifest, predictor } = v;
  const target = column(table, manifest.signature.output.target);
  const head = manifest.head;
  if (head.task === 'classification') {
    const index = new Map(head.labels.map((l, i) => [l, i]));
    const keep: number[] = [];
    const y: number[] = [];
    for (let r = 0; r < table.rowCount; r++) {
      const label = target.kind === 'number' ? String(target.values[r]) : target.dictionary[target.codes[r]];
      const i = index.get(label);
      if (i === undefined) continue;
      keep.push(r);
      y.push(i);
    }
    const sub = takeRows(table, keep);
    const raw = predictor.predict(encodeTable(manifest.transform, sub), sub.rowCount);
    return metricValues(
      classificationMetrics(Int32Array.from(y), decodeOutputs(raw, sub.rowCount, head).proba, head.labels),
    );
  }
  const raw = predictor.predict(encodeTable(manifest.transform, table), table.rowCount);
  const yTrue = target.kind === 'number' ? target.values : Float64Array.from({ length: table.rowCount }, () => NaN);
  return metricValues(regressionMetrics(yTrue, decodeOutputs(raw, table.rowCount, head).values));
}
