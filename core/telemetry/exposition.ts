/**
 * Prometheus' text exposition format 0.0.4: a `# HELP` and `# TYPE` line per metric family, then one
 * `name{label="value"} number` line per sample. Only the writer lives here; which metrics Flywheel
 * exposes is prometheus.ts.
 */

/** The Content-Type a scraper expects for this format. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface MetricSample {
  /** Appended to the family's name: `_bucket`, `_sum`, `_count` for a histogram. */
  suffix?: string;
  labels: Readonly<Record<string, string>>;
  value: number;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: MetricType;
  samples: readonly MetricSample[];
}

/** The exposition text of `families`, in order, ending with a newline as the format requires. */
export function renderExposition(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    for (const s of family.samples)
      lines.push(`${family.name}${s.suffix ?? ''}${renderLabels(s.labels)} ${formatSampleValue(s.value)}`);
  }
  return lines.join('\n') + '\n';
}

function renderLabels(labels: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(labels).map(([name, value]) => `${name}="${escapeLabelValue(value)}"`);
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
}

/** A label value with `\`, `"` and newlines escaped, as the format requires. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** HELP text escapes only `\` and newlines. */
function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** A sample value as Go's ParseFloat reads it: `+Inf`, `-Inf`, `NaN` spelled Prometheus' way. */
export function formatSampleValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}
