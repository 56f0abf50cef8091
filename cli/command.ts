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
