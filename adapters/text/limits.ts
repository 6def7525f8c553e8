/**
 * @module
 * The text adapter's limits, shared by its edge face and its backend face (which a direct client of the backend
 * reaches without the edge's checks).
 */
export const textLimits = {
  /** Raw size (UTF-8), checked before decoding or normalising. */
  maxBytes: 256 * 1024,
  /** Unicode code points after NFC and trimming. */
  maxCharacters: 20_000,
};
