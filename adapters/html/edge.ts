/**
 * @module
 * The html adapter's edge face — the worked example of a third-party adapter (see adapters/README.md): an HTML
 * page, sent as a JSON string, a data URL, base64, a URL or a multipart part, recognised by its opening bytes
 * (a doctype, a comment or a known tag: HTML has no magic number), strict UTF-8, and bounded in bytes and in the
 * characters of its visible text. The canonical bytes are the UTF-8 page itself, so normalising twice changes
 * nothing; the backend face extracts the text again and embeds it with the text model's tokeniser.
 */
import { AdapterInputError } from '../errors.ts';
import { assertDeclaredType, assertMaxBytes } from '../shared/bytes.ts';
import { defineAdapter, type CanonicalInput, type RawInput } from '../types.ts';
import { decodeUtf8 } from '../text/utf8.ts';
import { extractText, looksLikeHtml } from './extract.ts';

const limits = {
  maxBytes: 1024 * 1024,
  /** Code points of the visible text. */
  maxCharacters: 20_000,
};

const declaredTypes = ['text/html', 'application/xhtml+xml'];
const encoder = new TextEncoder();

function bytesOf(input: RawInput): { bytes: Uint8Array; declaredType?: string | undefined } {
  if (input.kind === 'bytes') return input;
  assertMaxBytes(input.value.length, limits.maxBytes * 3);
  return { bytes: encoder.encode(input.value), declaredType: 'text/html' };
}

function normalize(input: RawInput): CanonicalInput {
  const { bytes, declaredType } = bytesOf(input);
  assertMaxBytes(bytes.length, limits.maxBytes);
  if (bytes.length === 0) throw new AdapterInputError('empty', 'html is empty');
  const html = decodeUtf8(bytes);
  if (!looksLikeHtml(html)) {
    throw new AdapterInputError(
      'unsupported-type',
      'the bytes do not open like an HTML document; supported: text/html',
      {
        found: 'unknown',
      },
    );
  }
  assertDeclaredType(declaredType, declaredTypes, 'text/html');
  const characters = [...extractText(html)].length;
  if (characters === 0) throw new AdapterInputError('empty', 'the page has no visible text');
  if (characters > limits.maxCharacters) {
    throw new AdapterInputError(
      'over-limit',
      `the page has ${characters} characters of text, the limit is ${limits.maxCharacters}`,
      { limit: limits.maxCharacters, value: characters },
    );
  }
  return { modality: 'html', bytes, mimeType: 'text/html', meta: { characters } };
}

export const html = defineAdapter({
  modality: 'html',
  defaultModel: 'html-use-lite',
  mimeTypes: ['text/html'],
  jsonForms: ['text', 'dataUrl', 'base64', 'url'],
  limits,
  normalize,
});
