import { FlywheelError } from '../errors';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds of a duration such as `30s`, `10m`, `1h`, `7d`; errors name the path. */
export function parseDuration(text: string, path: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|m|h|d)$/.exec(text.trim());
  if (!m)
    throw new FlywheelError('bad_input', `${path}: "${text}" is not a duration such as 30s, 10m, 1h or 7d`, [
      { path, message: 'not a duration' },
    ]);
  return Number(m[1]) * UNIT_MS[m[2]];
}
