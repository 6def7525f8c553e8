/**
 * @module
 * The image formats the adapter accepts, one entry each: how they are recognised, which declared types name them,
 * and how their stored size is read after a cheap structure check. Adding a format is one entry here; libvips only
 * ever sees bytes that matched one.
 */
import { imageSize } from 'image-size';
import { AdapterInputError } from '../errors.ts';
import { startsWith } from '../shared/bytes.ts';
import { isGif } from './gif.ts';
import { checkJpeg, jpegSignature } from './jpeg.ts';
import { assertImageDimensions } from './limits.ts';
import { checkPngStructure, pngSignature } from './png.ts';
import { checkWebpStructure, isWebp } from './webp.ts';

export interface ImageSize {
  readonly width: number;
  readonly height: number;
}

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
  /** The stored size; throws `malformed` when the file is cut short or its header unreadable. */
  inspect(bytes: Uint8Array): ImageSize;
}

/**
 * The stored size read by `image-size` (which runs in workerd too; EXIF orientation ignored, which does not change
 * the pixel count).
 */
function sizeFromHeader(bytes: Uint8Array, mimeType: string): ImageSize {
  try {
    const { width, height } = imageSize(bytes);
    return { width, height };
  } catch {
    throw new AdapterInputError('malformed', `${mimeType} has no readable size in its header`);
  }
}

export const imageFormats = [
  {
    name: 'png',
    mimeType: 'image/png',
    sniffedTypes: ['image/png', 'image/apng'],
    declaredTypes: ['image/png', 'image/x-png', 'image/apng'],
    matches: (bytes: Uint8Array) => startsWith(bytes, pngSignature),
    inspect: (bytes: Uint8Array) => (checkPngStructure(bytes), sizeFromHeader(bytes, 'image/png')),
  },
  {
    name: 'jpeg',
    mimeType: 'image/jpeg',
    sniffedTypes: ['image/jpeg'],
    declaredTypes: ['image/jpeg', 'image/jpg', 'image/pjpeg'],
    matches: (bytes: Uint8Array) => startsWith(bytes, jpegSignature),
    inspect: checkJpeg,
  },
  {
    name: 'webp',
    mimeType: 'image/webp',
    sniffedTypes: ['image/webp'],
    declaredTypes: ['image/webp', 'image/x-webp'],
    matches: isWebp,
    inspect: (bytes: Uint8Array) => (checkWebpStructure(bytes), sizeFromHeader(bytes, 'image/webp')),
  },
  {
    name: 'gif',
    mimeType: 'image/gif',
    sniffedTypes: ['image/gif'],
    declaredTypes: ['image/gif'],
    matches: isGif,
    inspect: (bytes: Uint8Array) => sizeFromHeader(bytes, 'image/gif'),
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

/** The stored size after the format's structure check, held to the pixel limits before anything is decoded. */
export function checkedSize(bytes: Uint8Array, format: ImageFormat): ImageSize {
  const size = format.inspect(bytes);
  assertImageDimensions(size.width, size.height);
  return size;
}
