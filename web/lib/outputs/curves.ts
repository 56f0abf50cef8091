/** Which per-epoch series a training chart draws, and their data in uPlot's column layout. */
import type { EpochMetrics } from '../../../core/model/train-types';

export type CurveKind = 'loss' | 'accuracy' | 'mae';

/** The training and validation series of a kind, as Keras names them. */
export function curveKeys(kind: CurveKind): [keyof EpochMetrics, keyof EpochMetrics] {
  return kind === 'loss'
    ? ['loss', 'val_loss']
    : kind === 'accuracy'
      ? ['accuracy', 'val_accuracy']
      : ['mae', 'val_mae'];
}

/** The metric curve a history has: accuracy for classifiers, MAE for regressors, none before epoch 1. */
export function metricCurve(history: readonly EpochMetrics[]): CurveKind | null {
  const first = history[0];
  if (!first) return null;
  if (first.accuracy !== undefined) return 'accuracy';
  if (first.mae !== undefined) return 'mae';
  return null;
}

/** x = epoch (1-based), then the training and validation values (null where an epoch has none). */
export function curveData(
  history: readonly EpochMetrics[],
  kind: CurveKind,
): [number[], (number | null)[], (number | null)[]] {
  const [train, val] = curveKeys(kind);
  return [
    history.map((h) => h.epoch + 1),
    history.map((h) => (h[train] as number | undefined) ?? null),
    history.map((h) => (h[val] as number | undefined) ?? null),
  ];
}
