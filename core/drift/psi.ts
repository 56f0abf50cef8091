/**
 * The population stability index, Evidently's formulation: Σ (ref% − cur%)·ln(ref%/cur%) over
 * common bins, where an empty bin's share is replaced by 0.0001 — or by a millionth of the smallest
 * non-empty share when that is itself ≤ 0.0001 — so the logarithm stays finite.
 */

/** Evidently's stand-in share for an empty bin. */
const EMPTY_BIN_SHARE = 0.0001;
/** When real shares are already that small, the stand-in is the smallest one divided by this. */
const EMPTY_BIN_DIVISOR_OF_MIN = 1e6;

export function populationStabilityIndex(referenceCounts: ArrayLike<number>, currentCounts: ArrayLike<number>): number {
  const reference = sharesWithoutZeros(referenceCounts);
  const current = sharesWithoutZeros(currentCounts);
  let psi = 0;
  for (let i = 0; i < reference.length; i++) psi += (reference[i] - current[i]) * Math.log(reference[i] / current[i]);
  return psi;
}

/** Counts as shares of their total, empty bins filled as Evidently's `get_binned_data` fills them. */
export function sharesWithoutZeros(counts: ArrayLike<number>): Float64Array {
  let sum = 0;
  for (let i = 0; i < counts.length; i++) sum += counts[i];
  const shares = Float64Array.from(counts, (c) => c / sum);
  let minShare = Infinity;
  for (const s of shares) if (s !== 0 && s < minShare) minShare = s;
  const fill = minShare <= EMPTY_BIN_SHARE ? minShare / EMPTY_BIN_DIVISOR_OF_MIN : EMPTY_BIN_SHARE;
  for (let i = 0; i < shares.length; i++) if (shares[i] === 0) shares[i] = fill;
  return shares;
}
