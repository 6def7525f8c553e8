/**
 * @module
 * WebP recognition and a cheap truncation check: a RIFF container whose form type is `WEBP`, whose declared size
 * must fit in the bytes received (a cut-off upload is refused before it is sent anywhere).
 */
import { AdapterInputError } from '../errors.ts';
import { fourCC } from '../shared/bytes.ts';

export function isWebp(bytes: Uint8Array): boolean {
  return bytes.length >= 12 && fourCC(bytes, 0) === 'RIFF' && fourCC(bytes, 8) === 'WEBP';
}

export function checkWebpStructure(bytes: Uint8Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const declared = view.getUint32(4, true) + 8;
  if (declared > bytes.length) {
    throw new AdapterInputError('malformed', `image/webp is cut short: ${bytes.length} of ${declared} bytes`);
  }
}
