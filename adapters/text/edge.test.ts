import { describe, expect, it } from 'vitest';
import type { AdapterInputError } from '../errors.ts';
import { inputErrorOf } from '../shared/testing.ts';
import type { RawInput } from '../types.ts';
import { text } from './edge.ts';

const utf8 = new TextEncoder();

function rejection(input: RawInput): Promise<AdapterInputError> {
  return inputErrorOf(() => text.normalize(input));
}

describe('text edge adapter', () => {
  it('canonicalises to trimmed NFC UTF-8 and counts code points', async () => {
    // "é" as e + combining acute (NFD) becomes one code point; the emoji is one code point, two UTF-16 units.
    const result = await text.normalize({ kind: 'text', value: '  \tcafe\u0301 😀\n' });
    expect(new TextDecoder().decode(result.bytes)).toBe('caf\u00e9 😀');
    expect(result).toMatchObject({
      modality: 'text',
      mimeType: 'text/plain; charset=utf-8',
      meta: { characters: 6 },
    });
  });

  it('accepts UTF-8 bytes, dropping a BOM, and any text/* declaration', async () => {
    const bytes = Uint8Array.of(0xef, 0xbb, 0xbf, ...utf8.encode('héllo'));
    const result = await text.normalize({
      kind: 'bytes',
      bytes,
      declaredType: 'text/markdown; charset=utf-8',
    });
    expect(new TextDecoder().decode(result.bytes)).toBe('héllo');
    expect(result.meta).toEqual({ characters: 5 });
  });

  it('gives the same bytes for the same text however it arrived', async () => {
    const fromText = await text.normalize({ kind: 'text', value: 'A\u030a' });
    const fromBytes = await text.normalize({ kind: 'bytes', bytes: utf8.encode('\u00c5 ') });
    expect(fromText.bytes).toEqual(fromBytes.bytes);
  });

  it.each([
    ['an empty string', { kind: 'text', value: '' }],
    ['white space only', { kind: 'text', value: ' \n\t\u3000\u00a0' }],
    ['zero bytes', { kind: 'bytes', bytes: new Uint8Array(0) }],
  ] satisfies [string, RawInput][])('refuses %s as empty', async (_, input) => {
    expect((await rejection(input)).code).toBe('empty');
  });

  it.each([
    ['a lone continuation byte', [0x61, 0x80]],
    ['a truncated sequence', [0xe2, 0x82]],
    ['an overlong encoding', [0xc0, 0xaf]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
  ])('refuses invalid UTF-8: %s', async (_, bytes) => {
    const error = await rejection({ kind: 'bytes', bytes: Uint8Array.from(bytes) });
    expect(error.code).toBe('malformed');
    expect(error.status).toBe(422);
  });

  it('refuses a string with an unpaired surrogate', async () => {
    expect((await rejection({ kind: 'text', value: 'ab\ud800c' })).code).toBe('malformed');
  });

  it('refuses more characters than the limit, counting code points', async () => {
    const { maxCharacters } = text.limits;
    const atLimit = '😀'.repeat(maxCharacters);
    expect((await text.normalize({ kind: 'text', value: atLimit })).meta).toEqual({
      characters: maxCharacters,
    });
    const error = await rejection({ kind: 'text', value: `${atLimit}x` });
    expect(error.code).toBe('over-limit');
    expect(error.details).toEqual({ limit: maxCharacters, value: maxCharacters + 1 });
  });

  it('refuses more bytes than the limit before decoding them', async () => {
    const { maxBytes } = text.limits;
    // Invalid UTF-8 throughout: if it were decoded first, the error would be `malformed`.
    const error = await rejection({ kind: 'bytes', bytes: new Uint8Array(maxBytes + 1).fill(0xff) });
    expect(error.code).toBe('too-large');
    expect(error.status).toBe(413);
  });

  it('measures a string in UTF-8 bytes, not UTF-16 units', async () => {
    // Fewer UTF-16 units than the byte limit, but more UTF-8 bytes (3 each).
    const value = '\u4e2d'.repeat(Math.floor(text.limits.maxBytes / 3) + 1);
    expect((await rejection({ kind: 'text', value })).code).toBe('too-large');
  });

  it('refuses bytes declared as another type', async () => {
    const error = await rejection({ kind: 'bytes', bytes: utf8.encode('hi'), declaredType: 'image/png' });
    expect(error.code).toBe('type-mismatch');
  });
});
