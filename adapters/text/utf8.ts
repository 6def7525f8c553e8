/**
 * @module
 * Strict UTF-8 decoding shared by the text adapter's two faces, so that the edge and the backend refuse the same
 * bytes the same way instead of silently turning them into U+FFFD.
 */
import { AdapterInputError } from '../errors.ts';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Decodes UTF-8 (a leading BOM is dropped); invalid sequences are `malformed`. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new AdapterInputError('malformed', 'text is not valid UTF-8');
  }
}
