/**
 * @module
 * GIF recognition: `GIF87a`/`GIF89a`. Nothing else is checked at the edge: a GIF whose trailer byte is missing
 * displays in every browser and decodes in libvips, and one cut inside its first frame is refused by the backend's
 * decoder. Only the first frame is ever decoded.
 */
import { startsWith } from '../shared/bytes.ts';

const gif87 = [0x47, 0x49, 0x46, 0x38, 0x37, 0x61];
const gif89 = [0x47, 0x49, 0x46, 0x38, 0x39, 0x61];

export function isGif(bytes: Uint8Array): boolean {
  return startsWith(bytes, gif87) || startsWith(bytes, gif89);
}
