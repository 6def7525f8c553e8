/**
 * @module
 * Typed input errors thrown by adapters. Each code maps to one HTTP status at the edge (4xx: the client's fault)
 * and on the backend (400), so that no bad input ever becomes a 500.
 */

export const adapterErrorCodes = {
  /** The body or a part is larger than the adapter's `maxBytes`. */
  'too-large': 413,
  /** The bytes are not of a type the adapter accepts. */
  'unsupported-type': 415,
  /** The client declared one type and the bytes are another. */
  'type-mismatch': 415,
  /** The bytes claim a known type but are broken (truncated, bad header). */
  malformed: 422,
  /** Valid, but over a limit other than bytes (pixels, seconds, characters, tokens). */
  'over-limit': 422,
  /** Nothing to work with (empty text, zero samples). */
  empty: 422,
  /**
   * A derived part of a valid input is not there (an image with no text, a video with no audio track); `details.
   * reason` says which (`no-text`, `no-audio-track`). The edge reports the part as missing, never as a refusal.
   */
  absent: 422,
} as const;

export type AdapterErrorCode = keyof typeof adapterErrorCodes;

export class AdapterInputError extends Error {
  override readonly name = 'AdapterInputError';

  constructor(
    readonly code: AdapterErrorCode,
    message: string,
    /** Extra machine-readable facts (the limit, the value found). */
    readonly details: Readonly<Record<string, number | string>> = {},
  ) {
    super(message);
  }

  /** The HTTP status this error answers with. */
  get status(): number {
    return adapterErrorCodes[this.code];
  }
}

export function isAdapterInputError(error: unknown): error is AdapterInputError {
  return error instanceof AdapterInputError;
}
