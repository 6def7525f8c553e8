import { describe, expect, it } from 'vitest';
import { rms, zeroCrossings } from './fixtures/measure.ts';
import { resample } from './resample.ts';

function tone(frequency: number, rate: number, seconds: number, amplitude = 10_000): Float32Array {
  return Float32Array.from(
    { length: Math.round(rate * seconds) },
    (_, i) => amplitude * Math.sin((2 * Math.PI * frequency * i) / rate),
  );
}

/** RMS away from the ends, where the kernel runs off the signal. */
function innerRms(samples: Float32Array): number {
  return rms(samples.subarray(500, samples.length - 500));
}

/** Gain in dB of a tone resampled from `rate` to 16 kHz. */
function gainDb(frequency: number, rate: number): number {
  return 20 * Math.log10(innerRms(resample(tone(frequency, rate, 1), rate, 16_000)) / (10_000 / Math.SQRT2));
}

describe('resample', () => {
  it.each([
    [44_100, 1, 16_000],
    [48_000, 0.5, 8000],
    [8000, 0.25, 4000],
    [22_050, 0.1, 1600],
    [192_000, 0.01, 160],
    [11_025, 1 / 11_025, 1],
  ])('turns %i Hz × %f s into %i samples at 16 kHz', (rate, seconds, expected) => {
    expect(resample(new Float32Array(Math.round(rate * seconds)), rate, 16_000)).toHaveLength(expected);
  });

  it('copies when the rates are equal', () => {
    const input = tone(440, 16_000, 0.1);
    const output = resample(input, 16_000, 16_000);
    expect(output).toEqual(input);
    expect(output).not.toBe(input);
  });

  it('keeps a constant at unit gain', () => {
    const output = resample(new Float32Array(44_100).fill(1000), 44_100, 16_000);
    expect(output[8000]).toBeCloseTo(1000, 1);
  });

  it.each([
    [440, 44_100],
    [4000, 44_100],
    [6000, 48_000],
    [1000, 8000],
    [3000, 8000],
    [440, 192_000],
  ])('passes %i Hz from %i Hz unchanged (within 0.05 dB)', (frequency, rate) => {
    expect(Math.abs(gainDb(frequency, rate))).toBeLessThan(0.05);
  });

  it.each([
    [12_000, 44_100],
    [8500, 44_100],
    [9000, 48_000],
    [20_000, 192_000],
  ])('removes %i Hz from %i Hz, above the 8 kHz Nyquist, by more than 70 dB', (frequency, rate) => {
    expect(gainDb(frequency, rate)).toBeLessThan(-70);
  });

  it('keeps a 440 Hz tone at 440 Hz (zero crossings) from 44.1 kHz', () => {
    const output = resample(tone(440, 44_100, 1), 44_100, 16_000);
    expect(Math.abs(zeroCrossings(output) - 880)).toBeLessThanOrEqual(2);
  });
});
