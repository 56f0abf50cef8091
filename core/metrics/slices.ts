/**
 * Any metric per slice of a categorical column (TFMA's slicing): the rows are grouped by their code
 * in the column's dictionary and the metric is computed on each group, so a model that is good on
 * average but bad for one category shows it.
 */
import { MISSING_CODE } from '../data/table';
import { FlywheelError } from '../errors';
import type { SliceMetrics } from './result';

/** The slice name of rows whose category is missing (code -1). */
export const MISSING_SLICE = '(missing)';

export interface SliceRows {
  slice: string;
  indices: Int32Array;
}

/**
 * The row indices of each category of a dictionary-encoded column, in dictionary order, then the
 * missing rows as `(missing)`. Categories without rows are left out. Throws `bad_input` on a code
 * that is neither -1 nor an index into `dictionary`.
 */
export function sliceRows(groupCodes: Int32Array, dictionary: readonly string[]): SliceRows[] {
  const m = dictionary.length;
  // Count first so each slice gets an exactly sized array; index m holds the missing rows.
  const counts = new Int32Array(m + 1);
  for (let i = 0; i < groupCodes.length; i++) {
    const code = groupCodes[i];
    if (code === MISSING_CODE) counts[m]++;
    else if (code >= 0 && code < m) counts[code]++;
    else {
      throw new FlywheelError(
        'bad_input',
        `slice code at row ${i} is ${code}, not -1 or an index into ${m} categories`,
        [{ path: `groupCodes[${i}]`, message: 'code out of range' }],
      );
    }
  }
  const groups = Array.from(counts, (count) => new Int32Array(count));
  const filled = new Int32Array(m + 1);
  for (let i = 0; i < groupCodes.length; i++) {
    const g = groupCodes[i] === MISSING_CODE ? m : groupCodes[i];
    groups[g][filled[g]++] = i;
  }
  const out: SliceRows[] = [];
  for (let g = 0; g <= m; g++) {
    if (groups[g].length > 0) out.push({ slice: g === m ? MISSING_SLICE : dictionary[g], indices: groups[g] });
  }
  return out;
}

/**
 * `compute` run on the rows of each slice of a categorical column (see `sliceRows` for the order),
 * with the slice's size. `compute` receives the row indices and selects its own inputs, so any
 * metric, or a whole `Metrics` result, can be sliced.
 */
export function metricsBySlice<M>(
  groupCodes: Int32Array,
  dictionary: readonly string[],
  compute: (indices: Int32Array) => M,
): SliceMetrics<M>[] {
  return sliceRows(groupCodes, dictionary).map(({ slice, indices }) => ({
    slice,
    size: indices.length,
    metrics: compute(indices),
  }));
}
