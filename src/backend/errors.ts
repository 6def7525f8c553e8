/**
 * @module
 * Errors of the backend client. The edge tells apart what is ours (the backend is down, slow or answered
 * nonsense: 5xx) from what is the client's (the backend could not decode bytes the edge accepted: 422).
 */

export const backendErrorKinds = [
  /** Unreachable, timed out, overloaded or failing: retry later. */
  'unavailable',
  /** The backend does not serve the model a task or request names. */
  'unknown-model',
  /** The backend answered something that does not follow the protocol. */
  'bad-response',
] as const;

export type BackendErrorKind = (typeof backendErrorKinds)[number];

/** Seconds a client should wait before retrying when the backend gave no `Retry-After` of its own. */
export const defaultRetryAfterSeconds = 5;

export class BackendError extends Error {
  override readonly name = 'BackendError';

  constructor(
    readonly kind: BackendErrorKind,
    message: string,
    /** Seconds, from the backend's `Retry-After` when it sent one. */
    readonly retryAfter: number = defaultRetryAfterSeconds,
    /** The backend answered that it is busy (429, or 503 with `Retry-After`): up, so not a reason to eject it. */
    readonly busy = false,
  ) {
    super(message);
  }
}

/** One input of a call that the backend names as refused: its index in the call, and why. */
export interface RefusedItem {
  readonly index: number;
  readonly message: string;
  readonly code?: string;
  /** Why a derived part is not there, with code `absent` (`no-text`). */
  readonly reason?: string;
}

/** The backend refused an input it could not decode (KServe 400): the client's bytes, not our fault. */
export class BackendInputError extends Error {
  override readonly name = 'BackendInputError';

  constructor(
    readonly model: string,
    /** The backend's own message. */
    readonly backendMessage: string,
    /** The adapter's error code, when the backend's preprocessing named one (`malformed`, `over-limit`, …). */
    readonly code?: string,
    /** The inputs of a batched call it refused, when the backend names them (this repo's does; Triton does not). */
    readonly items?: readonly RefusedItem[],
    /** With code `absent`: why the derived part is not there (`no-text`). */
    readonly reason?: string,
  ) {
    super(`the ${model} model could not use an input: ${backendMessage}`);
  }
}
