/**
 * @module
 * Base64 and the float32 wire form of vectors: exact round trips, OpenAI's byte layout, and strictness; the mean
 * direction of vectors in one space.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64, decodedLength, encodeBase64 } from './base64.ts';
import { cosine, decodeFloat32, encodeFloat32, l2Normalize, meanDirection, norm } from './vectors.ts';

describe('base64', () => {
  it('round-trips any bytes and predicts the decoded length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70_000 }), (bytes) => {
        const text = encodeBase64(bytes);
        expect(decodeBase64(text)).toEqual(bytes);
        expect(decodedLength(text)).toBe(bytes.length);
      }),
      { numRuns: 50 },
    );
  });

  it('refuses what atob would forgive', () => {
    expect(decodeBase64('AAE')).toBeUndefined();
    expect(decodeBase64('AA E')).toBeUndefined();
    expect(decodeBase64('AAE=\n')).toBeUndefined();
    expect(decodeBase64('')).toEqual(new Uint8Array());
  });

  /** What strict base64 means (the regular expression, then `atob`): the runtime's decoder must agree with it. */
  const reference = (text: string) => {
    if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) return undefined;
    return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
  };

  it.each([
    'AAEC    ',
    '    AAEC',
    'AA==    ',
    'AAEC\r\n\r\n',
    'AA==AAEC',
    '====',
    'A===',
    'AAE=AAE=',
    'AB==',
  ])('decodes %j as strict base64 does', (text) => expect(decodeBase64(text)).toEqual(reference(text)));

  it('agrees with strict base64 on texts of a few characters, whitespace and padding among them', () => {
    const char = fc.constantFrom('A', 'B', 'Q', '/', '+', '=', ' ', '\n', '\t', '-', '_');
    fc.assert(
      fc.property(fc.array(char, { maxLength: 12 }), (chars) => {
        const text = chars.join('');
        expect(decodeBase64(text)).toEqual(reference(text));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('float32 vectors', () => {
  it('lays out little-endian float32, as OpenAI does', () => {
    expect(encodeFloat32([1, -2])).toBe(encodeBase64(new Uint8Array([0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0])));
  });

  it('round-trips float32 values exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true })), (values) => {
        expect([...decodeFloat32(encodeFloat32(values))]).toEqual(values.map((v) => Math.fround(v)));
      }),
    );
  });

  it('refuses text that is not a whole number of floats', () => {
    expect(() => decodeFloat32('AAE=')).toThrow(TypeError);
    expect(() => decodeFloat32('not base64')).toThrow(TypeError);
  });

  it('normalises to unit length, leaving the zero vector alone', () => {
    expect(norm(l2Normalize([3, 4]))).toBeCloseTo(1, 12);
    expect([...l2Normalize([0, 0])]).toEqual([0, 0]);
    expect(cosine([1, 0], [0, 0])).toBe(0);
    expect(cosine([1, 1], [2, 2])).toBeCloseTo(1, 12);
  });

  it('averages directions: lengths do not count, weights do, and lengths must agree', () => {
    const [east, north, west] = [
      [10, 0],
      [0, 5],
      [-1, 0],
    ];
    const rounded = (vector: Float64Array) => [...vector].map((value) => value.toFixed(6));
    expect(rounded(meanDirection([east, north]))).toEqual(rounded(l2Normalize([1, 1])));
    expect(rounded(meanDirection([east, north], [3, 1]))).toEqual(rounded(l2Normalize([3, 1])));
    expect([...meanDirection([east, west])]).toEqual([0, 0]);
    expect(() => meanDirection([east, [1, 0, 0]])).toThrow(RangeError);
  });
});
