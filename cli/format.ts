/** Text output helpers for the terminal: aligned tables, sparklines, number formatting. */
const BARS = '▁▂▃▄▅▆▇█';

export function sparkline(counts: number[]): string {
  const max = Math.max(...counts, 0);
  if (max === 0) return '';
  return counts
    .map((c) => (c === 0 ? ' ' : BARS[Math.min(BARS.length - 1, Math.floor((c / max) * (BARS.length - 1) + 0.5))]))
    .join('');
}

/**
 * A count with thousands separators, as `toLocaleString('en-US')` writes it, without the ~25 ms that
 * loading ICU's locale data costs on its first call (a tenth of `flywheel profile`'s start-up).
 */
export function count(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+$)/g, ',');
}

export function num(n: number | null | undefined, digits = 4): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  const abs = Math.abs(n);
  if (abs !== 0 && (abs >= 1e6 || abs < 1e-3)) return n.toExponential(2);
  return Number(n.toPrecision(digits)).toString();
}

export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max([...h].length, ...rows.map((r) => [...(r[i] ?? '')].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c + ' '.repeat(widths[i] - [...c].length))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n');
}
