/**
 * @module
 * A classify request's answer from its items' results. One item (`inputs`, multipart): its classification, or its
 * problem as the response. A batch (`items`): 200 with every item in its place — its classification, or
 * `{error: problem}` with the problem it would have got alone — since its items are independent: one broken file
 * must not cost the others their answers, nor make the client search the batch for it. Only when no item could be
 * answered because the backend is unavailable (every item a 503) is the batch itself that 503 with Retry-After,
 * which clients and monitors act on by themselves.
 */
import { ApiError, problemFields, type ProblemFields } from '../problem.ts';
import type { Classification } from './schema.ts';

/** One item's classification, or the problem that refuses it. */
export type ItemResult = Classification | ApiError;

/** A batch item that could not be answered. */
export interface ItemError {
  readonly error: ProblemFields;
}

export function singleAnswer(result: ItemResult | undefined): Classification {
  if (result === undefined) throw new Error('a classify request has one item at least');
  if (result instanceof ApiError) throw result;
  return result;
}

/** Seconds to wait before retrying a 503 (the longest any item was told). */
function retryAfterOf(error: ApiError): number {
  return Number(error.options.headers?.['Retry-After'] ?? 0);
}

export function batchAnswer(results: readonly ItemResult[]): (Classification | ItemError)[] {
  const outages = results.flatMap((r) => (r instanceof ApiError && r.status === 503 ? [r] : []));
  if (outages.length > 0 && outages.length === results.length) {
    const retryAfter = Math.max(...outages.map(retryAfterOf));
    const detail = 'no item could be classified because the inference backend is unavailable';
    throw new ApiError(503, 'backend-unavailable', detail, {
      extensions: { retryAfter },
      headers: { 'Retry-After': String(retryAfter) },
    });
  }
  return results.map((result) => (result instanceof ApiError ? { error: problemFields(result) } : result));
}
