/**
 * @module
 * The image formats the adapter accepts, one entry each: how they are recognised, which declared types name them,
 * their header size and their truncation check. Adding a format is one entry here (and its structure check); libvips
 * only ever sees bytes that matched one.
 */
import { imageSize } from 'image-size';
import { AdapterInputError } from '../errors.ts';
import { startsWith } from '../shared/bytes.ts';
import { checkGifStructure, isGif } from './gif.ts';
import { checkJpegStructure, jpegSignature } from './jpeg.ts';
import { assertImageDimensions } from './limits.ts';
import { checkPngStructure, pngSignature } from './png.ts';
import { checkWebpStructure, isWebp } from './webp.ts';

export interface ImageFormat {
  readonly name: string;
  /** The canonical MIME type. */
  readonly mimeType: string;
  /** Types the sniffer may report for it (APNG is a PNG whose default image every PNG decoder reads). */
  readonly sniffedTypes: readonly string[];
  /** Every spelling a client may declare for it. */
  readonly declaredTypes: readonly string[];
  /** Whether the magic bytes are this format's. */
  matches(bytes: Uint8Array): boolean;
  /** Throws `malformed` when the file is cut short. */
  checkStructure(bytes: Uint8Array): void;
}

export const imageFormats = [
  {
    name: 'png',
    mimeType: 'image/png',
    sniffedTypes: ['image/png', 'image/apng'],
    declaredTypes: ['image/png', 'image/x-png', 'image/apng'],
    matches: (bytes: Uint8Array) => startsWith(bytes, pngSignature),
    checkStructure: checkPngStructure,
  },
  {
    name: 'jpeg',
    mimeType: 'image/jpeg',
    sniffedTypes: ['image/jpeg'],
    declaredTypes: ['image/jpeg', 'image/jpg', 'image/pjpeg'],
    matches: (bytes: Uint8Array) => startsWith(bytes, jpegSignature),
    checkStructure: checkJpegStructure,
  },
  {
    name: 'webp',
    mimeType: 'image/webp',
    sniffedTypes: ['image/webp'],
    declaredTypes: ['image/webp', 'image/x-webp'],
    matches: isWebp,
    checkStructure: checkWebpStructure,
  },
  {
    name: 'gif',
    mimeType: 'image/gif',
    sniffedTypes: ['image/gif'],
    declaredTypes: ['image/gif'],
    matches: isGif,
    checkStructure: checkGifStructure,
  },
] as const satisfies readonly ImageFormat[];

export const imageMimeTypes = imageFormats.map((format) => format.mimeType);

/** The format a sniffed MIME type names, if it is one of ours. */
export function formatBySniffedType(mimeType: string | undefined): ImageFormat | undefined {
  return imageFormats.find((format) => (format.sniffedTypes as readonly string[]).includes(mimeType ?? ''));
}

/** The format whose magic bytes start `bytes`, if any. */
export function formatBySignature(bytes: Uint8Array): ImageFormat | undefined {
  return imageFormats.find((format) => format.matches(bytes));
}

/**
 * The stored size from the header (`image-size`, which runs in workerd too; EXIF orientation ignored, which does not
 * change the pixel count), held to the pixel limits before anything is decoded.
 */
export function headerDimensions(bytes: Uint8Array, format: ImageFormat): { width: number; height: number } {
  let size: { width: number; height: number };
  try {
    size = imageSize(bytes);
  } catch {
    throw new AdapterInputError('malformed', `${format.mimeType} has no readable size in its header`);
  }
  assertImageDimensions(size.width, size.height);
  return { width: size.width, height: size.height };
}
