import type { NumericProfile } from '../../core/features';

/** What the app says of a sketched quantile (a profile merged from parts too large to keep every value). */
export const SKETCH_NOTE = 'estimated from merged profiles (KLL sketch, within 0.5% of rank)';

/** A profile's quantile as the app shows it: "≈" only when it comes from the sketch, not from every value. */
export function quantileLabel(
  col: Pick<NumericProfile, 'quantiles' | 'quantilesExact'>,
  q: string,
  fmt: (n: number) => string,
): { text: string; title?: string } {
  const text = fmt(col.quantiles[q]);
  return col.quantilesExact ? { text } : { text: `≈${text}`, title: SKETCH_NOTE };
}
