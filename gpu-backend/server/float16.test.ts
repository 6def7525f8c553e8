import { describe, expect, it } from 'vitest';
import { floatToHalf, halfToFloat } from './float16.ts';

describe('float16', () => {
  it.each([
    [0, 0x0000],
    [-0, 0x8000],
    [1, 0x3c00],
    [-2, 0xc000],
    [0.5, 0x3800],
    [65504, 0x7bff],
    [2 ** -14, 0x0400],
    [2 ** -24, 0x0001],
    [Infinity, 0x7c00],
    [-Infinity, 0xfc00],
  ])('%d ↔ %i', (value, bits) => {
    expect(floatToHalf(value)).toBe(bits);
    expect(Object.is(halfToFloat(bits), value)).toBe(true);
  });

  it('rounds to nearest, ties to even, and overflows to Infinity', () => {
    expect(floatToHalf(1 + 2 ** -11)).toBe(0x3c00); // tie between 1 and 1+2^-10: even is 1
    expect(floatToHalf(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie: even is 1+2^-9
    expect(floatToHalf(65520)).toBe(0x7c00);
    expect(floatToHalf(2 ** -26)).toBe(0);
    expect(floatToHalf(3 * 2 ** -25)).toBe(0x0002); // subnormal tie rounds to even
  });

  it('keeps NaN a NaN', () => {
    expect(Number.isNaN(halfToFloat(floatToHalf(NaN)))).toBe(true);
  });

  it('round-trips every finite half exactly', () => {
    const wrong: number[] = [];
    for (let bits = 0; bits < 0x10000; bits++) {
      if ((bits & 0x7c00) !== 0x7c00 && floatToHalf(halfToFloat(bits)) !== bits) wrong.push(bits);
    }
    expect(wrong).toEqual([]);
  });
});
