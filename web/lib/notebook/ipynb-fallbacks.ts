/**
 * What Jupyter can show of Flywheel's own outputs: a table or a profile as `text/html`, a chart as
 * `image/svg+xml`. Written on export next to the `+json` data Flywheel reads back.
 */
import type { TableProfile } from '../../../core/features';
import { quantileLabel } from '../quantile-label';
import type { ChartOutput, MimeBundle, TableOutput } from '../../../workers/protocol';

/** Rows a table's HTML copy shows; the rest are counted (Jupyter users see pandas do the same). */
export const HTML_TABLE_ROWS = 50;

/** The MIME types Jupyter renders that `bundle` lacks and can be made from its Flywheel data. */
export function jupyterFallbacks(
  bundle: MimeBundle,
  chartSvg?: (chart: ChartOutput) => string,
): Record<string, string> {
  const out: Record<string, string> = {};
  const table = bundle['application/vnd.flywheel.table+json'];
  const profile = bundle['application/vnd.flywheel.profile+json'];
  const chart = bundle['application/vnd.flywheel.chart+json'];
  if (table && bundle['text/html'] === undefined) out['text/html'] = tableHtml(table);
  if (profile && bundle['text/html'] === undefined) out['text/html'] = profileHtml(profile);
  if (chart && chartSvg && bundle['image/svg+xml'] === undefined && bundle['image/png'] === undefined)
    out['image/svg+xml'] = chartSvg(chart);
  return out;
}

function tableHtml(t: TableOutput): string {
  const head = `<tr>${t.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>`;
  const body = t.rows
    .slice(0, HTML_TABLE_ROWS)
    .map((r) => `<tr>${r.map((v) => `<td>${v === null ? '' : escapeHtml(String(v))}</td>`).join('')}</tr>`);
  const shown = Math.min(t.rows.length, HTML_TABLE_ROWS);
  const note = shown < t.total ? `<p>${shown} of ${t.total} rows</p>` : '';
  return `<table>\n<thead>${head}</thead>\n<tbody>\n${body.join('\n')}\n</tbody>\n</table>${note}\n`;
}

function profileHtml(p: TableProfile): string {
  const fmt = (n: number) => (Number.isFinite(n) ? String(Number(n.toPrecision(4))) : '');
  const rows = p.columns.map((c) => {
    const stats =
      c.type === 'number'
        ? [fmt(c.mean), fmt(c.std), fmt(c.min), quantileLabel(c, '0.5', fmt).text, fmt(c.max)]
        : ['', '', '', '', ''];
    const top =
      c.type === 'string'
        ? c.top
            .slice(0, 3)
            .map((t) => `${t.value} (${t.count})`)
            .join(', ')
        : '';
    return `<tr>${[c.name, c.type, String(c.missing), ...stats, fmt(c.distinct), top].map((v) => `<td>${escapeHtml(v)}</td>`).join('')}</tr>`;
  });
  const head = ['column', 'type', 'missing', 'mean', 'std', 'min', 'median', 'max', 'distinct', 'top']
    .map((h) => `<th>${h}</th>`)
    .join('');
  return `<p>Profile of ${p.rowCount} rows</p>\n<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>\n`;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
