/**
 * The error every SQL adapter throws for a failure of the database itself, with SQLite's extended
 * result code on `code` (`SQLITE_CONSTRAINT_UNIQUE`, `SQLITE_CONSTRAINT_FOREIGNKEY`, `SQLITE_BUSY`,
 * ...), so repositories branch on a code instead of on one driver's error class or message. An
 * adapter whose driver gives only a message (D1: "UNIQUE constraint failed: ...") maps the message
 * to the same codes.
 */
export class SqlError extends Error {
  override readonly name = 'SqlError';
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True for a violated constraint of any kind (UNIQUE, PRIMARY KEY, FOREIGN KEY, NOT NULL, CHECK). */
export function isConstraintViolation(e: unknown): e is SqlError {
  return e instanceof SqlError && e.code.startsWith('SQLITE_CONSTRAINT');
}

/**
 * True when an insert or update collided with an existing row (UNIQUE or PRIMARY KEY): what a
 * repository turns into 409 Conflict.
 */
export function isUniqueViolation(e: unknown): e is SqlError {
  return e instanceof SqlError && (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY');
}
