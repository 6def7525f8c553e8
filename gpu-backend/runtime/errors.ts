/**
 * @module
 * Errors the runtime throws for outcomes that are not its own fault, each carrying the HTTP status Triton
 * answers with. Anything else escaping the runtime is an internal error (500, logged).
 */
import type { AdapterInputError } from '../../adapters/errors.ts';

export type ErrorStatus = 400 | 404 | 413 | 499 | 503;

/** An outcome the server answers with its own HTTP status (and `{"error": message}`), as Triton does. */
export class StatusError extends Error {
  constructor(
    readonly status: ErrorStatus,
    message: string,
    options?: ErrorOptions & { retryAfterSeconds?: number },
  ) {
    super(message, options);
    this.name = 'StatusError';
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }

  /** Sent as `Retry-After` (a 503 the client should retry, e.g. a full queue). */
  readonly retryAfterSeconds: number | undefined;
}

/** The client sent something malformed or inconsistent with the model. */
export function badRequest(message: string, cause?: unknown): StatusError {
  return new StatusError(400, message, cause === undefined ? undefined : { cause });
}

/** No such model or version in the repository. */
export function notFound(message: string): StatusError {
  return new StatusError(404, message);
}

/** The model exists but cannot serve (failed to load, or the server is shutting down). */
export function unavailable(message: string): StatusError {
  return new StatusError(503, message);
}

/** The queue is full: retry after a moment (503 with Retry-After, as Triton's "Exceeds maximum queue size"). */
export function overloaded(message: string, retryAfterSeconds = 1): StatusError {
  return new StatusError(503, message, { retryAfterSeconds });
}

/**
 * The client gave up on the request (closed its connection, or aborted a call in process) before it ran: 499,
 * nginx's "client closed request" (Triton's CANCELLED), so that logs and metrics tell it from a failure.
 */
export function cancelled(message: string): StatusError {
  return new StatusError(499, message);
}

export function isStatusError(error: unknown): error is StatusError {
  return error instanceof StatusError;
}

/** One raw item of a batch that its adapter's preprocessing refused. */
export interface RefusedItem {
  readonly index: number;
  readonly error: AdapterInputError;
}

/**
 * Preprocessing refused raw items of a batch: answered 400 naming each (their index, message and code), so that a
 * client can tell which inputs to drop and send the others again, where Triton fails the whole request alike.
 */
export class RefusedItemsError extends Error {
  constructor(readonly items: readonly [RefusedItem, ...RefusedItem[]]) {
    const [first, ...rest] = items;
    const each = items.map((item) => `item ${item.index}: ${item.error.message}`).join('; ');
    super(rest.length === 0 ? first.error.message : `${items.length} items could not be used: ${each}`);
    this.name = 'RefusedItemsError';
  }
}
