import type { Io } from './command';
import { count as formatCount } from './format';

/** Redraws at most this often: a terminal repaint per chunk would cost more than the parse. */
const REDRAW_MS = 100;

/** A one-line progress indicator on stderr, drawn only when stderr is a terminal. */
export function progressLine(
  io: Io,
  label: string,
): { update: (fraction: number, count?: number, note?: string) => void; done: () => void } {
  let last = 0;
  const started = performance.now();
  return {
    update(fraction, count, note) {
      if (!io.tty) return;
      const now = performance.now();
      if (now - last < REDRAW_MS && fraction < 1) return;
      last = now;
      const width = 24;
      const filled = Math.round(fraction * width);
      const elapsed = (now - started) / 1000;
      const eta = fraction > 0 ? (elapsed / fraction) * (1 - fraction) : 0;
      io.err(
        `\r${label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${(fraction * 100).toFixed(0)}%${count !== undefined ? ` ${formatCount(count)} rows` : ''}${note ? ` ${note}` : ''} ETA ${eta.toFixed(0)}s\x1b[K`,
      );
    },
    done() {
      if (io.tty) io.err('\r\x1b[K');
    },
  };
}
