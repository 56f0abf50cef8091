/**
 * Turns zod issues into error details whose path is a JSON path as a user reads it
 * (`gates[1].vsChampion.minDelta`), so a bad spec names the exact field to fix.
 */
import type { z } from 'zod';
import type { ErrorDetail } from '../errors';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `base` followed by each segment: `[i]` for an index, `.key` for a name, `["odd key"]` otherwise. */
export function jsonPath(base: string, segments: readonly PropertyKey[]): string {
  let path = base;
  for (const s of segments) {
    if (typeof s === 'number') path += `[${s}]`;
    else if (typeof s === 'string' && IDENTIFIER.test(s)) path += path === '' ? s : `.${s}`;
    else path += `[${JSON.stringify(String(s))}]`;
  }
  return path;
}

/** One detail per issue; an unknown key gets its own path, so the typo itself is named. */
export function issueDetails(error: z.ZodError, base: string): ErrorDetail[] {
  return error.issues.flatMap((issue): ErrorDetail[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: jsonPath(base, [...issue.path, key]), message: 'unknown field' }));
    }
    return [{ path: jsonPath(base, issue.path), message: issue.message }];
  });
}
