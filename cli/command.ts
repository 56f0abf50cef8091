/** The shape of a CLI command, and the exit codes the README promises. */
export const EXIT_OK = 0;
/** A gate or a check failed: the command worked and said no. */
export const EXIT_FAILED = 1;
/** Bad usage or bad input. */
export const EXIT_USAGE = 2;

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Whether stderr is a terminal (progress bars only then). */
  tty: boolean;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[], io: Io): Promise<number>;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The one positional argument a command takes, or a usage error naming it. */
export function single(positionals: string[], what: string): string {
  if (positionals.length !== 1)
    throw new UsageError(`expected one ${what}, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`);
  return positionals[0];
}

/** An `--edge` value: an http(s) URL, or a usage error that shows how to write it. */
export function edgeUrl(value: string): string {
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    // Not a URL at all (no scheme): suggested below.
  }
  if (url && (url.protocol === 'http:' || url.protocol === 'https:')) return value;
  throw new UsageError(
    `--edge ${JSON.stringify(value)} is not an http(s) URL: write it as ${/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? 'http://… or https://…' : `http://${value}`}`,
  );
}
