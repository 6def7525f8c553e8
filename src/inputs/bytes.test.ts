/**
 * @module
 * Inline byte inputs: data URLs and strict base64, and the size check that runs before any decoding.
 */
import { describe, expect, it } from 'vitest';
import { AdapterInputError } from '../../adapters/errors.ts';
import { ApiError } from '../problem.ts';
import { decodeInlineBase64, parseDataUrl } from './bytes.ts';

describe('parseDataUrl', () => {
  it('decodes a base64 data URL and keeps the declared type', () => {
    const { bytes, declaredType } = parseDataUrl('data:Image/PNG;base64,AAEC', 100);
    expect([...bytes]).toEqual([0, 1, 2]);
    expect(declaredType).toBe('image/png');
  });

  it('accepts parameters and an empty type', () => {
    expect(parseDataUrl('data:audio/wav;rate=16000;base64,AAEC', 100).declaredType).toBe('audio/wav');
    expect(parseDataUrl('data:;base64,AAEC', 100).declaredType).toBeUndefined();
  });

  it.each(['data:image/png,AAEC', 'data:image/png;base64', 'image/png;base64,AAEC'])(
    'refuses %s with a 400',
    (text) => {
      expect(() => parseDataUrl(text, 100)).toThrow(ApiError);
    },
  );

  it('refuses invalid base64 inside a data URL with a 400', () => {
    expect(() => parseDataUrl('data:image/png;base64,A A==', 100)).toThrow(
      expect.objectContaining({ status: 400, code: 'invalid-base64' }),
    );
  });
});

describe('decodeInlineBase64', () => {
  it.each(['AAE', 'AAE=\n', 'AA==AA==', 'AAE*', ' AAEC', 'AAEC=', '_-8='])('refuses %j', (text) => {
    expect(() => decodeInlineBase64(text, 100)).toThrow(expect.objectContaining({ status: 400 }));
  });

  it('refuses an input over the limit before decoding it (413, too-large)', () => {
    const error = (() => {
      try {
        decodeInlineBase64('!'.repeat(4000), 100);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(AdapterInputError);
    expect(error).toMatchObject({ code: 'too-large', status: 413 });
  });

  it('decodes up to exactly the limit', () => {
    expect(decodeInlineBase64('AAECAw==', 4)).toHaveLength(4);
    expect(() => decodeInlineBase64('AAECAwQ=', 4)).toThrow(AdapterInputError);
  });
});
