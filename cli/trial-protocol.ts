/**
 * The messages between the Node trial pool (cli/trial-pool.ts) and its threads (cli/trial-thread.ts),
 * and how an error crosses between them: structured clone keeps an Error's message but not
 * Flywheel's `code` and `details`, so errors travel as plain data and are rebuilt on arrival.
 */
import { FlywheelError, type ErrorCode, type ErrorDetail } from '../core/errors';
import type { SearchData, TrialResult, TrialTask } from '../core/search/types';

export type ThreadRequest =
  { type: 'load'; data: SearchData } | { type: 'run'; id: number; task: TrialTask } | { type: 'cancel'; id: number };

export type ThreadReply =
  | { type: 'loaded'; error?: SerializedError }
  | { type: 'result'; id: number; result: TrialResult; error?: undefined }
  | { type: 'result'; id: number; result?: undefined; error: SerializedError };

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: ErrorCode;
  details?: ErrorDetail[];
}

export function serializeError(e: unknown): SerializedError {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e) };
  const f = e as Partial<FlywheelError> & Error;
  return { name: e.name, message: e.message, stack: e.stack, code: f.code, details: f.details };
}

export function deserializeError(s: SerializedError): Error {
  const e = s.code
    ? new FlywheelError(s.code, s.message, s.details ?? [])
    : Object.assign(new Error(s.message), { name: s.name });
  if (s.stack) e.stack = s.stack;
  return e;
}
