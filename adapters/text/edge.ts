/**
 * @module
 * The text adapter's edge face: strict UTF-8, Unicode NFC, trimmed, and bounded in bytes and characters. The
 * canonical bytes are the UTF-8 of the NFC text, so the same text always reaches the backend as the same bytes.
 */
import { assertMaxBytes, mediaTypeEssence } from '../shared/bytes.ts';
import { AdapterInputError } from '../errors.ts';
import { defineAdapter, type CanonicalInput, type RawInput } from '../types.ts';
import { textLimits } from './limits.ts';
import { decodeUtf8 } from './utf8.ts';

const limits = textLimits;

const encoder = new TextEncoder();
/** An unpaired UTF-16 surrogate: a JSON string may carry one, UTF-8 cannot. */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** UTF-8 size of a string without encoding it. */
function utf8Length(text: string): number {
  let size = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // A surrogate pair is 4 bytes: 2 counted for each half.
    size += unit < 0x80 ? 1 : unit < 0x800 || (unit >= 0xd800 && unit < 0xe000) ? 2 : 3;
  }
  return size;
}

/** Code points of a well-formed string: every UTF-16 unit except the second half of a pair. */
function countCodePoints(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0xdc00 || unit > 0xdfff) count++;
  }
  return count;
}

function readText(input: RawInput): string {
  if (input.kind === 'text') {
    // Every UTF-16 unit is at least one UTF-8 byte: a string that long is refused without scanning it.
    const { length } = input.value;
    assertMaxBytes(length > limits.maxBytes ? length : utf8Length(input.value), limits.maxBytes);
    if (loneSurrogate.test(input.value)) {
      throw new AdapterInputError('malformed', 'text contains an unpaired UTF-16 surrogate');
    }
    return input.value;
  }
  // Any text/* type is fine (text/markdown, text/csv…): the bytes are held to UTF-8 either way.
  const declared = mediaTypeEssence(input.declaredType);
  if (declared !== undefined && !declared.startsWith('text/')) {
    throw new AdapterInputError('type-mismatch', `declared ${declared} for a text input`, { declared });
  }
  assertMaxBytes(input.bytes.length, limits.maxBytes);
  return decodeUtf8(input.bytes);
}

function normalize(input: RawInput): CanonicalInput {
  const text = readText(input).normalize('NFC').trim();
  if (text === '') throw new AdapterInputError('empty', 'text is empty');
  const characters = countCodePoints(text);
  if (characters > limits.maxCharacters) {
    throw new AdapterInputError(
      'over-limit',
      `text has ${characters} characters, the limit is ${limits.maxCharacters}`,
      { limit: limits.maxCharacters, value: characters },
    );
  }
  return {
    modality: 'text',
    bytes: encoder.encode(text),
    mimeType: 'text/plain; charset=utf-8',
    meta: { characters },
  };
}

export const text = defineAdapter({
  modality: 'text',
  defaultModel: 'use-lite',
  mimeTypes: [],
  jsonForms: ['text'],
  limits,
  normalize,
});
