/**
 * @module
 * A cheap JPEG truncation check: walks the marker segments from SOI to the first SOS (start of scan) by their
 * lengths, then looks for EOI at the very end. The entropy-coded data in between is left to the backend's decoder.
 */
import { AdapterInputError } from '../errors.ts';

export const jpegSignature = [0xff, 0xd8, 0xff] as const;

const startOfScan = 0xda;
const endOfImage = 0xd9;

/** Markers that stand alone, without a length: TEM and RST0–RST7. */
function isStandalone(marker: number): boolean {
  return marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);
}

/** Bytes from this marker to the next: fill bytes and standalone markers have no length field. */
function segmentSize(view: DataView, offset: number, marker: number): number {
  if (marker === 0xff) return 1;
  if (isStandalone(marker)) return 2;
  const length = view.getUint16(offset + 2);
  // The length counts its own two bytes.
  if (length < 2) {
    throw new AdapterInputError('malformed', `JPEG segment at byte ${offset} has length ${length}`);
  }
  return 2 + length;
}

/** Walks the segments after SOI; throws unless a SOS is reached inside the bytes. */
function findStartOfScan(bytes: Uint8Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    const marker = view.getUint8(offset + 1);
    if (view.getUint8(offset) !== 0xff) {
      throw new AdapterInputError('malformed', `JPEG has no marker at byte ${offset}`);
    }
    if (marker === startOfScan) return;
    if (marker === endOfImage) throw new AdapterInputError('malformed', 'JPEG ends before any image data');
    offset += segmentSize(view, offset, marker);
  }
  throw new AdapterInputError('malformed', 'JPEG is truncated before its image data');
}

/** Throws `malformed` unless the segments reach a SOS and the bytes end with EOI (zero padding allowed after it). */
export function checkJpegStructure(bytes: Uint8Array): void {
  findStartOfScan(bytes);
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  if (end < 4 || bytes[end - 2] !== 0xff || bytes[end - 1] !== endOfImage) {
    throw new AdapterInputError('malformed', 'JPEG is truncated: it does not end with an EOI marker');
  }
}
