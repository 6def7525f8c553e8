/**
 * @module
 * Task versions as HTTP validators: `ETag: "<version>"` on answers, `If-Match: "<version>"` on writes (strong,
 * weak or bare; `*` means any version). A malformed `If-Match` is a 400, not a write without a check.
 */
import { ApiError } from '../problem.ts';

export function etagOf(version: number): string {
  return `"${version}"`;
}

/** The version an `If-Match` header asks for, or undefined when it is absent or `*`. */
export function ifMatchVersion(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  if (match?.[1] === undefined) {
    throw new ApiError(400, 'invalid-if-match', 'If-Match must be a task version such as "3" (or *)');
  }
  return Number(match[1]);
}
