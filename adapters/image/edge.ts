/**
 * @module
 * The image adapter's edge face: PNG, JPEG, WebP and GIF recognised by their bytes (`file-type`, which runs in workerd), the
 * client's declared type held to them, the size read from the header (no decoding) and held to the pixel limits —
 * the decompression-bomb guard — and a cheap truncation check. The canonical bytes are the original file: decoding
 * happens on the backend.
 */
import { AdapterInputError } from '../errors.ts';
import { assertDeclaredType, assertMaxBytes, requireBytes } from '../shared/bytes.ts';
import { sniffMimeType } from '../shared/sniff.ts';
import { defineAdapter, type CanonicalInput, type RawInput } from '../types.ts';
import {
  checkedSize,
  formatBySignature,
  formatBySniffedType,
  imageMimeTypes,
  type ImageFormat,
} from './formats.ts';
import { imageLimits } from './limits.ts';

async function identify(bytes: Uint8Array): Promise<ImageFormat> {
  const sniffed = await sniffMimeType(bytes);
  const format = formatBySniffedType(sniffed);
  if (format) return format;
  // file-type gives up on a PNG whose first chunk is not a proper IHDR; its signature still says what it claims.
  const claimed = formatBySignature(bytes);
  if (claimed) throw new AdapterInputError('malformed', `${claimed.mimeType} has a broken header`);
  throw new AdapterInputError(
    'unsupported-type',
    `image bytes are ${sniffed ?? 'of an unknown type'}; supported: ${imageMimeTypes.join(', ')}`,
    { found: sniffed ?? 'unknown' },
  );
}

async function normalize(input: RawInput): Promise<CanonicalInput> {
  const { bytes, declaredType } = requireBytes(input, 'image');
  assertMaxBytes(bytes.length, imageLimits.maxBytes);
  if (bytes.length === 0) throw new AdapterInputError('empty', 'image is empty');
  const format = await identify(bytes);
  assertDeclaredType(declaredType, format.declaredTypes, format.mimeType);
  const { width, height } = checkedSize(bytes, format);
  return {
    modality: 'image',
    bytes,
    mimeType: format.mimeType,
    meta: { width, height, format: format.name },
  };
}

export const image = defineAdapter({
  modality: 'image',
  defaultModel: 'mobilenetv2-int8',
  // The text written in the image (OCR, then the text model): the derived modality `image.text`.
  parts: { text: { defaultModel: 'image-text-use-lite', borrows: 'text' } },
  mimeTypes: imageMimeTypes,
  jsonForms: ['dataUrl', 'base64', 'url'],
  limits: imageLimits,
  normalize,
});
