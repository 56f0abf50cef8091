import type { DatetimePart } from './transform-spec';

const DAY_MS = 86_400_000;

/** One calendar part of a UTC timestamp; cyclical parts as sine/cosine so December sits next to January. */
export function datetimePart(ms: number, part: DatetimePart): number {
  const d = new Date(ms);
  const month = d.getUTCMonth();
  const doy = (ms - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY_MS;
  switch (part) {
    case 'year':
      return d.getUTCFullYear();
    case 'month':
      return month + 1;
    case 'day':
      return d.getUTCDate();
    case 'weekday':
      return d.getUTCDay();
    case 'hour':
      return d.getUTCHours() + d.getUTCMinutes() / 60;
    case 'dayofyear':
      return Math.floor(doy) + 1;
    case 'month_sin':
      return Math.sin((2 * Math.PI * month) / 12);
    case 'month_cos':
      return Math.cos((2 * Math.PI * month) / 12);
    case 'doy_sin':
      return Math.sin((2 * Math.PI * doy) / 365.25);
    case 'doy_cos':
      return Math.cos((2 * Math.PI * doy) / 365.25);
  }
}
