/**
 * @module
 * A cheap PNG truncation check: walks the chunk list from the signature to IEND using the chunk lengths only.
 * CRCs are not verified (that would read every byte at the edge); the backend's decoder catches corrupt data.
 */
import { AdapterInputError } from '../errors.ts';
import { fourCC } from '../shared/bytes.ts';

export const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;

/** The PNG spec caps a chunk length at 2^31 − 1. */
const maxChunkLength = 0x7fffffff;

/** Throws `malformed` unless every chunk fits in the bytes and an IEND chunk is reached. */
export function checkPngStructure(bytes: Uint8Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset: number = pngSignature.length;
  while (offset + 12 <= bytes.length) {
    const length = view.getUint32(offset);
    const type = fourCC(bytes, offset + 4);
    const end = offset + 12 + length;
    if (length > maxChunkLength || end > bytes.length) {
      throw new AdapterInputError(
        'malformed',
        `PNG is truncated: chunk ${type} runs past the end of the bytes`,
      );
    }
    if (type === 'IEND') return;
    offset = end;
  }
  throw new AdapterInputError('malformed', 'PNG is truncated: it ends before its IEND chunk');
}
