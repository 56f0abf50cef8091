/**
 * Query windows such as `15m`, `1h`, `24h`, `7d` (the `window` parameter of the telemetry and drift
 * endpoints), and the step of the time series drawn over them.
 */
import { FlywheelError } from '../errors';
import { MINUTE_MS } from './rollup';

const UNIT_MS: Readonly<Record<string, number>> = { m: MINUTE_MS, h: 60 * MINUTE_MS, d: 24 * 60 * MINUTE_MS };
/** Longest window: telemetry is kept for weeks, not years, and a longer query would scan too many rows. */
export const MAX_WINDOW_MS = 90 * UNIT_MS.d;
/** Points a time series aims at (at most): enough for a chart, few enough to send every time. */
export const SERIES_POINTS = 60;
/** Steps a series may use: whole minutes (rollups are per minute) that read well on an axis. */
const STEPS_MS = [1, 5, 15, 30, 60, 360, 1440].map((m) => m * MINUTE_MS);

/**
 * Milliseconds in a window written as a whole number of minutes, hours or days (`15m`, `1h`, `7d`),
 * from one minute (a rollup) to MAX_WINDOW_MS. Anything else throws `bad_input` naming `parameter`.
 */
export function parseWindow(text: string, parameter = 'window'): number {
  const match = /^([1-9][0-9]{0,5})([mhd])$/.exec(text.trim());
  const ms = match ? Number(match[1]) * UNIT_MS[match[2]] : NaN;
  if (!(ms <= MAX_WINDOW_MS)) {
    throw new FlywheelError(
      'bad_input',
      `${parameter} must be a whole number of minutes, hours or days such as 15m, 1h, 24h or 7d, at most 90d; got "${text}"`,
      [{ path: parameter, message: 'not a window such as 15m, 1h, 24h, 7d' }],
    );
  }
  return ms;
}

/** The smallest step from a fixed ladder (1m, 5m, 15m, 30m, 1h, 6h, 1d) giving at most SERIES_POINTS points. */
export function seriesStep(windowMs: number): number {
  return STEPS_MS.find((step) => windowMs / step <= SERIES_POINTS) ?? STEPS_MS[STEPS_MS.length - 1];
}

export interface TelemetryWindow {
  from: number;
  to: number;
  stepMs: number;
}

/**
 * The window a query means at `now` (epoch ms): it ends with the step that holds `now` — so the
 * latest, still filling minute is in — and its steps are aligned to multiples of the step.
 */
export function telemetryWindow(now: number, window: string, parameter = 'window'): TelemetryWindow {
  const windowMs = parseWindow(window, parameter);
  const stepMs = seriesStep(windowMs);
  const to = (Math.floor(now / stepMs) + 1) * stepMs;
  return { from: to - Math.ceil(windowMs / stepMs) * stepMs, to, stepMs };
}
