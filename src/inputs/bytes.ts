/**
 * @module
 * Byte inputs given inline: data URLs and bare base64. Both are checked against the adapter's byte limit before
 * decoding, so an oversized input costs no work proportional to its size.
 */
import { AdapterInputError } from '../../adapters/errors.ts';
import { decodeBase64, decodedLength } from '../base64.ts';
import { ApiError } from '../problem.ts';

export interface InlineBytes {
  readonly bytes: Uint8Array;
  /** The media type the client declared (data URLs only); adapters check it against the bytes. */
  readonly declaredType?: string | undefined;
}

function checkSize(base64: string, maxBytes: number): void {
  const size = decodedLength(base64);
  if (size > maxBytes) {
    throw new AdapterInputError('too-large', `the input is ${size} bytes; the limit is ${maxBytes}`, {
      limit: maxBytes,
      actual: size,
    });
  }
}

/** Strict base64 (standard alphabet, padded, no whitespace); anything else is a 400. */
export function decodeInlineBase64(text: string, maxBytes: number): Uint8Array {
  checkSize(text, maxBytes);
  const bytes = decodeBase64(text);
  if (bytes === undefined) {
    throw new ApiError(400, 'invalid-base64', 'the input is not valid base64 (standard alphabet, padded)');
  }
  return bytes;
}

/** `data:[<type>][;param=value]*;base64,<data>`. Percent-encoded (non-base64) data URLs are refused. */
export function parseDataUrl(text: string, maxBytes: number): InlineBytes {
  const comma = text.indexOf(',');
  if (!/^data:/i.test(text) || comma < 0) {
    throw new ApiError(400, 'invalid-data-url', 'a data URL must look like data:<type>;base64,<data>');
  }
  const [type = '', ...parameters] = text.slice(5, comma).split(';');
  if (parameters.at(-1)?.trim().toLowerCase() !== 'base64') {
    throw new ApiError(
      400,
      'invalid-data-url',
      'only base64 data URLs are accepted (data:<type>;base64,<data>)',
    );
  }
  const declaredType = type.trim().toLowerCase();
  return {
    bytes: decodeInlineBase64(text.slice(comma + 1), maxBytes),
    declaredType: declaredType === '' ? undefined : declaredType,
  };
}
