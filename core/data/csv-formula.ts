/**
 * Spreadsheet formulas in CSV cells (OWASP "CSV injection"): a cell that starts with `=`, `+`, `-`,
 * `@`, TAB or CR is run as a formula by Excel and LibreOffice when the file is opened. Exported CSV
 * defuses such cells with a leading `'`, which spreadsheets show as text and do not display.
 *
 * Two choices keep the escape exact for Flywheel's own readers:
 * - A cell that is a plain number (`-3.2`, `+1e5`) is not a formula and is left as is, so numeric
 *   columns stay numeric; `-1+2` is not a plain number and is escaped.
 * - A cell that already starts with `'` is escaped too, so `unescapeFormulaCell` can strip exactly
 *   one `'` from every cell that starts with one and give back the original text.
 */

/** Cells that need the `'` prefix: a formula start (or a `'`), unless the whole cell is a plain decimal number. */
export const FORMULA_CELL = /^(?![+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$)['=+\-@\t\r]/;

/** The cell as exported: `'` prefixed when it would otherwise start a formula. */
export function escapeFormulaCell(cell: string): string {
  return FORMULA_CELL.test(cell) ? `'${cell}` : cell;
}

/** The original text of a cell exported with `escapeFormulaCell`. */
export function unescapeFormulaCell(cell: string): string {
  return cell.startsWith("'") ? cell.slice(1) : cell;
}
