/**
 * @module
 * Errors the runtime throws for outcomes that are not its own fault, each carrying the HTTP status Triton
 * answers with. Anything else escaping the runtime is an internal error (500, logged).
 */

export type ErrorStatus = 400 | 404 | 413 | 503;

export class BackendError extends Error {
  constructor(
    readonly status: ErrorStatus,
    message: string,
    options?: ErrorOptions & { retryAfterSeconds?: number },
  ) {
    super(message, options);
    this.name = 'BackendError';
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }

  /** Sent as `Retry-After` (a 503 the client should retry, e.g. a full queue). */
  readonly retryAfterSeconds: number | undefined;
}

/** The client sent something malformed or inconsistent with the model. */
export function badRequest(message: string, cause?: unknown): BackendError {
  return new BackendError(400, message, cause === undefined ? undefined : { cause });
}

/** No such model or version in the repository. */
export function notFound(message: string): BackendError {
  return new BackendError(404, message);
}

/** The model exists but cannot serve (failed to load, or the server is shutting down). */
export function unavailable(message: string): BackendError {
  return new BackendError(503, message);
}

/** The queue is full: retry after a moment (503 with Retry-After, as Triton's "Exceeds maximum queue size"). */
export function overloaded(message: string, retryAfterSeconds = 1): BackendError {
  return new BackendError(503, message, { retryAfterSeconds });
}

export function isBackendError(error: unknown): error is BackendError {
  return error instanceof BackendError;
}
