/** The data shapes the chart components take. */

/** One line of a LineChart: points in x order; dashed for a validation curve beside its training one. */
export interface LineSeries {
  name: string;
  points: { x: number; y: number }[];
  color?: string;
  dashed?: boolean;
}

/** One line of a LiveSeries: a value (or a gap, null) per time of the shared time axis. */
export interface LiveLine {
  label: string;
  values: (number | null)[];
  color?: string;
}

/** How a LiveSeries draws its lines: `sparse` data (latency, only where there was traffic) gets points and joins its gaps. */
export type LiveDensity = 'dense' | 'sparse';
