/**
 * How much better a candidate is than the champion, in the metric's own direction, so one threshold
 * reads the same for every metric: a positive improvement is always better.
 */

/** candidate − champion when higher is better, champion − candidate when lower is better. */
export function improvement(candidate: number, champion: number, higherIsBetter: boolean): number {
  return higherIsBetter ? candidate - champion : champion - candidate;
}

/**
 * 1 + improvement / |champion|: the candidate's value relative to the champion's, flipped for
 * lower-is-better metrics, so 0.98 means "2% of the champion's value worse" in every direction and
 * for negative values (an R² below 0) too. Null when the champion's value is 0 and the candidate's is
 * not, where any relative change is infinite.
 */
export function improvementRatio(candidate: number, champion: number, higherIsBetter: boolean): number | null {
  const delta = improvement(candidate, champion, higherIsBetter);
  if (champion === 0) return delta === 0 ? 1 : null;
  return 1 + delta / Math.abs(champion);
}
