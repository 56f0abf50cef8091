/**
 * Every failure a user can cause carries a stable `code`, a human message, and the path of what was
 * wrong (a JSON path, `file:line`, a column). It survives structured clone and JSON, so the same error
 * reaches the CLI, the notebook (across a worker) and an HTTP client intact.
 */
export interface ErrorDetail {
  path: string;
  message: string;
}

export type ErrorCode =
  | 'bad_input'
  | 'bad_spec'
  | 'bad_source'
  | 'bad_data'
  | 'bad_schema'
  | 'bad_bundle'
  | 'bad_model'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'unauthorized'
  | 'forbidden'
  | 'rate_limited'
  | 'unsupported'
  | 'cancelled'
  | 'internal';

export class FlywheelError extends Error {
  override readonly name = 'FlywheelError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }

  toJSON(): { code: ErrorCode; message: string; details: ErrorDetail[] } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export function isFlywheelError(e: unknown): e is FlywheelError {
  return e instanceof FlywheelError;
}

/** The message of anything thrown, without assuming it is an Error. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
