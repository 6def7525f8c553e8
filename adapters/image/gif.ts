/**
 * @module
 * GIF recognition and a cheap truncation check: `GIF87a`/`GIF89a`, and the trailer byte 0x3B at the end of the
 * stream (trailing zero padding allowed). Only the first frame is ever decoded.
 */
import { AdapterInputError } from '../errors.ts';
import { startsWith } from '../shared/bytes.ts';

const gif87 = [0x47, 0x49, 0x46, 0x38, 0x37, 0x61];
const gif89 = [0x47, 0x49, 0x46, 0x38, 0x39, 0x61];
const trailer = 0x3b;

export function isGif(bytes: Uint8Array): boolean {
  return startsWith(bytes, gif87) || startsWith(bytes, gif89);
}

export function checkGifStructure(bytes: Uint8Array): void {
  let end = bytes.length - 1;
  while (end > 13 && bytes[end] === 0) end--;
  if (bytes[end] !== trailer) throw new AdapterInputError('malformed', 'image/gif is cut short (no trailer)');
}
