/**
 * @module
 * The image adapter's limits, shared by its edge face (checked from the header, before anything is decoded) and its
 * backend face (checked again before decoding, as defence in depth for clients that call the backend directly).
 */
import { AdapterInputError } from '../errors.ts';

export const imageLimits = {
  maxBytes: 10 * 1024 * 1024,
  /** Width × height: the decompression-bomb guard (40 M pixels of RGBA is 160 MB decoded). */
  maxPixels: 40_000_000,
  /** Longest side, whatever the area. */
  maxSide: 16_384,
};

/** Refuses a size of zero (a broken header) or one over the pixel limits. */
export function assertImageDimensions(width: number, height: number): void {
  if (!(width >= 1 && height >= 1)) {
    throw new AdapterInputError('malformed', `image header gives a size of ${width}×${height}`);
  }
  const { maxPixels, maxSide } = imageLimits;
  if (width > maxSide || height > maxSide || width * height > maxPixels) {
    throw new AdapterInputError(
      'over-limit',
      `image is ${width}×${height}; the limits are ${maxSide} pixels a side and ${maxPixels} pixels in all`,
      { width, height, maxSide, maxPixels },
    );
  }
}
