/**
 * A regression run's residuals, from the held-out rows shipped in its bundle: the bundle's own model
 * and transform predict them (as serving would), so the summary describes exactly what gets published.
 */
import { readBundle } from '../../../core/bundle';
import { loadSource } from '../../../core/data/sources';
import { column } from '../../../core/data/table';
import { encodeTable } from '../../../core/features';
import { createPredictor } from '../../../core/infer';
import { decodeOutputs } from '../../../core/model/head';

export interface ResidualSummary {
  /** Held-out rows the residuals come from. */
  rows: number;
  /** Mean of actual − predicted: the model's bias. */
  mean: number;
  mae: number;
  maxAbs: number;
  quantiles: { p5: number; p25: number; p50: number; p75: number; p95: number };
  /** Predicted and residual per row, for a residual plot. */
  points: { predicted: number; residual: number }[];
}

/** Residuals of a regression bundle on its holdout rows; null when it is not regression or ships none. */
export async function residualSummary(bundleBytes: ArrayBuffer): Promise<ResidualSummary | null> {
  const bundle = await readBundle(new Uint8Array(bundleBytes));
  const { manifest } = bundle;
  if (manifest.head.task !== 'regression' || manifest.signature.output.task !== 'regression' || !bundle.holdoutCsv)
    return null;
  const csv = new TextEncoder().encode(bundle.holdoutCsv);
  const { table } = await loadSource('holdout.csv', {
    readFile: async () => csv,
    readSample: () => Promise.reject(new Error('no samples here')),
    fetch: (url) => fetch(url),
  });
  const target = column(table, manifest.signature.output.target);
  if (target.kind !== 'number' || table.rowCount === 0) return null;
  const predictor = await createPredictor({ modelJson: bundle.modelJson, weights: bundle.weights });
  try {
    const raw = predictor.predict(encodeTable(manifest.transform, table), table.rowCount);
    const predicted = decodeOutputs(raw, table.rowCount, manifest.head).values;
    const points: ResidualSummary['points'] = [];
    for (let i = 0; i < table.rowCount; i++)
      if (Number.isFinite(target.values[i]))
        points.push({ predicted: predicted[i], residual: target.values[i] - predicted[i] });
    return summarise(points);
  } finally {
    predictor.dispose();
  }
}

/** The statistics of residual points (exported for tests). */
export function summarise(points: ResidualSummary['points']): ResidualSummary {
  const r = points.map((p) => p.residual).sort((a, b) => a - b);
  const n = r.length;
  const q = (p: number) => {
    // Linear interpolation between closest ranks, as numpy's default.
    const pos = (n - 1) * p;
    const lo = Math.floor(pos);
    return r[lo] + (r[Math.min(lo + 1, n - 1)] - r[lo]) * (pos - lo);
  };
  return {
    rows: n,
    mean: r.reduce((s, v) => s + v, 0) / n,
    mae: r.reduce((s, v) => s + Math.abs(v), 0) / n,
    maxAbs: Math.max(...r.map(Math.abs)),
    quantiles: { p5: q(0.05), p25: q(0.25), p50: q(0.5), p75: q(0.75), p95: q(0.95) },
    points,
  };
}
