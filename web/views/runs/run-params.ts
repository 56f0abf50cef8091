/**
 * What a runs table shows of a run's spec and history: the key parameters (model type, hidden
 * layers, epochs, learning rate) with the spec's defaults filled in, the headline metrics of its
 * task, and its training curves as chart series.
 */
import { parsePipelineSpec } from '../../../core/pipeline/spec';
import type { LineSeries } from '../../lib/charts/types';

export interface KeyParams {
  model: string;
  hidden: string;
  epochs: string;
  learningRate: string;
  batchSize: string;
  target: string;
  source: string;
}

const UNKNOWN = '—';
const SEARCHED = 'searched';

/** Key parameters with defaults applied; a spec that does not parse shows what it has. */
export function keyParams(spec: unknown): KeyParams {
  try {
    const s = parsePipelineSpec(spec);
    // A search (`auto`) picks the layers, learning rate and batch size itself: the spec's are not used.
    const searched = s.model.type === 'auto';
    return {
      model: s.model.type,
      hidden: s.model.type === 'mlp' ? s.model.hidden.join('×') : searched ? SEARCHED : UNKNOWN,
      epochs: String(s.train.epochs),
      learningRate: searched ? SEARCHED : String(s.train.learningRate),
      batchSize: searched ? SEARCHED : String(s.train.batchSize),
      target: s.target,
      source: s.data.source,
    };
  } catch {
    const raw = (typeof spec === 'object' && spec !== null ? spec : {}) as {
      model?: { type?: unknown };
      target?: unknown;
    };
    return {
      model: String(raw.model?.type ?? UNKNOWN),
      hidden: UNKNOWN,
      epochs: UNKNOWN,
      learningRate: UNKNOWN,
      batchSize: UNKNOWN,
      target: String(raw.target ?? UNKNOWN),
      source: UNKNOWN,
    };
  }
}

/** The two metrics a runs table shows: accuracy and macro F1 for classification, RMSE and R² for regression. */
export function headlineMetrics(metrics: Record<string, number | null> | undefined): string[] {
  if (!metrics) return [];
  if ('accuracy' in metrics) return ['accuracy', 'f1_macro'];
  if ('rmse' in metrics) return ['rmse', 'r2'];
  return Object.keys(metrics).slice(0, 2);
}

/** A history's `key` per epoch as points (epochs 1-based, as people count them); missing values skipped. */
export function curve(history: readonly Record<string, number>[], key: string): { x: number; y: number }[] {
  return history.flatMap((h, i) =>
    typeof h[key] === 'number' && Number.isFinite(h[key]) ? [{ x: (h.epoch ?? i) + 1, y: h[key] }] : [],
  );
}

/** Training and validation series of `key` (e.g. loss and val_loss) for each named history, validation dashed. */
export function curveSeries(
  runs: readonly { name: string; history: readonly Record<string, number>[] }[],
  key: string,
  colors?: readonly string[],
): LineSeries[] {
  return runs.flatMap((r, i) => {
    const color = colors?.[i];
    const train = curve(r.history, key);
    const val = curve(r.history, `val_${key}`);
    return [
      ...(train.length ? [{ name: `${r.name} ${key}`, points: train, ...(color ? { color } : {}) }] : []),
      ...(val.length ? [{ name: `${r.name} val_${key}`, points: val, dashed: true, ...(color ? { color } : {}) }] : []),
    ];
  });
}

/** Which per-epoch figures a history has beyond loss: accuracy for classifiers, MAE for regressors. */
export function secondaryCurve(history: readonly Record<string, number>[]): 'accuracy' | 'mae' | null {
  if (history.some((h) => typeof h.accuracy === 'number')) return 'accuracy';
  if (history.some((h) => typeof h.mae === 'number')) return 'mae';
  return null;
}
