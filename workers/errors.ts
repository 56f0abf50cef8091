/**
 * Errors across the worker boundary keep their name, message, stack, and Flywheel's `code` and
 * `details`: comlink's default 'throw' handler keeps only the first three, so it is replaced here.
 * Both sides must import this module (the worker and the page's client).
 */
import * as Comlink from 'comlink';
import { FlywheelError, type ErrorCode, type ErrorDetail } from '../core/errors';

interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: ErrorCode;
  details?: ErrorDetail[];
}

// comlink keeps its "thrown" marker private; reuse its own test for it.
const original = Comlink.transferHandlers.get('throw')!;

Comlink.transferHandlers.set('throw', {
  canHandle: original.canHandle as (value: unknown) => value is { value: unknown },
  serialize({ value }: { value: unknown }) {
    const e = value as Partial<FlywheelError> & Error;
    const out: SerializedError =
      value instanceof Error
        ? { name: e.name, message: e.message, stack: e.stack, code: e.code, details: e.details }
        : { name: 'Error', message: String(value) };
    return [out, []];
  },
  deserialize(s: SerializedError) {
    const e = s.code
      ? new FlywheelError(s.code, s.message, s.details ?? [])
      : Object.assign(new Error(s.message), { name: s.name });
    if (s.stack) e.stack = s.stack;
    throw e;
  },
} as Comlink.TransferHandler<{ value: unknown }, SerializedError>);
