/**
 * @module
 * A cheap JPEG structure check that reads the size too: walks the marker segments from SOI by their lengths, takes
 * the size from the first SOFn (every coding: baseline, progressive, lossless, arithmetic — image-size reads only
 * SOF0–2), skips each scan's entropy-coded data (where 0xFF is always followed by 0x00 or a restart marker) to the
 * next marker, and stops at EOI. Bytes after EOI are ignored, as decoders do: cameras put a second image there (MPF),
 * phones a video (motion photos), apps their trailers. A JPEG that ends before its EOI is refused: a decoder would
 * fill the missing rows with grey, and the pixels that are there cannot be told complete without decoding them.
 */
import { AdapterInputError } from '../errors.ts';

export const jpegSignature = [0xff, 0xd8, 0xff] as const;

const startOfScan = 0xda;
const endOfImage = 0xd9;

/** SOF0–SOF15 but DHT (C4), JPG (C8) and DAC (CC), which share the range. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
}

/** Markers that stand alone, without a length: TEM and RST0–RST7. */
function isStandalone(marker: number): boolean {
  return marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);
}

function truncated(where: string): AdapterInputError {
  return new AdapterInputError('malformed', `JPEG is truncated: it ends ${where}`);
}

/** Bytes from this marker to the next: fill bytes and standalone markers have no length field. */
function segmentSize(view: DataView, offset: number, marker: number): number {
  if (marker === 0xff) return 1;
  if (isStandalone(marker)) return 2;
  if (offset + 4 > view.byteLength) throw truncated('inside a marker segment');
  const length = view.getUint16(offset + 2);
  // The length counts its own two bytes.
  if (length < 2) {
    throw new AdapterInputError('malformed', `JPEG segment at byte ${offset} has length ${length}`);
  }
  return 2 + length;
}

/** Where the marker after a scan's entropy-coded data starts (the end of the bytes if there is none). */
function markerAfterScan(bytes: Uint8Array, from: number): number {
  for (
    let at = bytes.indexOf(0xff, from);
    at !== -1 && at + 1 < bytes.length;
    at = bytes.indexOf(0xff, at + 1)
  ) {
    const next = bytes[at + 1] ?? 0;
    if (next !== 0x00 && next !== 0xff && !isStandalone(next)) return at;
  }
  return bytes.length;
}

/**
 * The stored size from the first SOFn, after checking that the segments and scans reach EOI inside the bytes.
 * Throws `malformed` otherwise.
 */
export function checkJpeg(bytes: Uint8Array): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let size: { width: number; height: number } | undefined;
  let scanned = false;
  for (let offset = 2; ;) {
    if (offset + 2 > bytes.length)
      throw truncated(scanned ? 'before its EOI marker' : 'before its image data');
    if (view.getUint8(offset) !== 0xff) {
      throw new AdapterInputError('malformed', `JPEG has no marker at byte ${offset}`);
    }
    const marker = view.getUint8(offset + 1);
    if (marker === endOfImage) {
      if (!scanned || !size) throw new AdapterInputError('malformed', 'JPEG ends before any image data');
      return size;
    }
    if (isStartOfFrame(marker) && !size && offset + 9 <= bytes.length) {
      size = { height: view.getUint16(offset + 5), width: view.getUint16(offset + 7) };
    }
    offset += segmentSize(view, offset, marker);
    if (marker === startOfScan) {
      scanned = true;
      offset = markerAfterScan(bytes, offset);
    }
  }
}
