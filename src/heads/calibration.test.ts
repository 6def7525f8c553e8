/**
 * @module
 * Temperature calibration: the fitted temperature softens an over-confident head and sharpens an under-confident
 * one, always lowers the held-out log-loss versus τ = 1, keeps the argmax, and copes with degenerate inputs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyTemperature,
  fitTemperature,
  temperatureBounds,
  type CalibrationSample,
} from './calibration.ts';

function logLoss(samples: readonly CalibrationSample[], temperature: number): number {
  return (
    samples.reduce((sum, s) => sum - Math.log(applyTemperature(s.scores, temperature)[s.label] ?? 0), 0) /
    samples.length
  );
}

/** A head that answers `top` for its pick and is right `rate` of the time, over three labels. */
function head(top: number, rate: number, count = 100): CalibrationSample[] {
  return Array.from({ length: count }, (_, i) => {
    const truth = i % 3;
    const pick = i % 100 < rate * 100 ? truth : (truth + 1) % 3;
    return { label: truth, scores: [0, 1, 2].map((y) => (y === pick ? top : (1 - top) / 2)) };
  });
}

describe('fitTemperature', () => {
  it('softens an over-confident head and sharpens an under-confident one', () => {
    expect(fitTemperature(head(0.99, 0.7))).toBeGreaterThan(1.5);
    expect(fitTemperature(head(0.4, 0.95))).toBeLessThan(0.7);
  });

  it('never does worse than τ = 1 on the samples it was fitted on', () => {
    const samples = fc.array(
      fc.record({
        label: fc.integer({ min: 0, max: 2 }),
        scores: fc.array(fc.double({ min: 0.001, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }),
      }),
      { minLength: 1, maxLength: 30 },
    );
    fc.assert(
      fc.property(samples, (raw) => {
        const normalised = raw.map((s) => {
          const total = s.scores.reduce((a, b) => a + b, 0);
          return { label: s.label, scores: s.scores.map((p) => p / total) };
        });
        const temperature = fitTemperature(normalised);
        expect(temperature).toBeGreaterThanOrEqual(temperatureBounds[0]);
        expect(temperature).toBeLessThanOrEqual(temperatureBounds[1]);
        expect(logLoss(normalised, temperature)).toBeLessThanOrEqual(logLoss(normalised, 1) + 1e-9);
      }),
    );
  });

  it('answers 1 with no samples and stays in bounds for a head that is always right', () => {
    expect(fitTemperature([])).toBe(1);
    const sharpest = fitTemperature(head(0.6, 1));
    expect(sharpest).toBeLessThan(0.1);
    expect(sharpest).toBeGreaterThanOrEqual(temperatureBounds[0]);
  });
});

describe('applyTemperature', () => {
  it('keeps the order of the labels and survives zeros', () => {
    const scores = applyTemperature([0.5, 0.3, 0.2, 0], 3);
    expect(scores[0]).toBeGreaterThan(scores[1] ?? 1);
    expect(scores[1]).toBeGreaterThan(scores[2] ?? 1);
    expect(scores[3]).toBeGreaterThan(0);
    expect(scores.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('refuses a non-positive or non-finite temperature', () => {
    expect(() => applyTemperature([0.5, 0.5], 0)).toThrow(RangeError);
    expect(() => applyTemperature([0.5, 0.5], Number.NaN)).toThrow(RangeError);
    expect(() => applyTemperature([0.5, 0.5], Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
