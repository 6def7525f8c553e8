/**
 * @module
 * Temperature calibration: the fitted temperature softens an over-confident head and sharpens an under-confident
 * one, always lowers the held-out log-loss versus τ = 1, keeps the argmax, and copes with degenerate inputs; a
 * softmax head calibrated in its own pass scores as the calibration of its scores.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyTemperature,
  fitTemperature,
  temperatureBounds,
  type CalibrationSample,
} from './calibration.ts';
import { isScorer, softmaxScorer } from './head.ts';
import { addExamples, emptyPrototype, prototypeScorer } from './prototype.ts';
import { scorersOf } from './task-heads.ts';

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

describe('a softmax head calibrated in its own pass', () => {
  const logits = fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 1, maxLength: 40 });
  const temperature = fc.double({ min: 0.05, max: 20, noNaN: true });

  // Logits spread by at most 24 keep every score above the floor below which calibration.ts clips them.
  it('scores as the calibration of its scores does', () => {
    fc.assert(
      fc.property(logits, temperature, fc.double({ min: 0.25, max: 4, noNaN: true }), (z, t, scale) => {
        const scorer = softmaxScorer(() => z, scale);
        const folded = scorer.calibrated?.(t)([0]) ?? [];
        const generic = applyTemperature(scorer([0]), t);
        expect(folded).toHaveLength(z.length);
        folded.forEach((p, y) => expect(p).toBeCloseTo(generic[y] ?? NaN, 9));
      }),
    );
  });

  it('is what a task whose modality has a temperature serves', () => {
    const state = addExamples(emptyPrototype(), [
      { label: 'red', embedding: [1, 0.2] },
      { label: 'blue', embedding: [0.1, 1] },
    ]);
    const fields = { temperature: 0.1, prototype: state, head: 'prototype', calibration: 3 };
    const served = scorersOf({ labels: ['red', 'blue'], modalities: { image: fields } }).get('image');
    if (!isScorer(served)) throw new Error('the prototype head should score');
    const plain = prototypeScorer(state, ['red', 'blue'], 0.1)([0.9, 0.4]);
    const [red = 0, blue = 0] = served([0.9, 0.4]);
    expect(red).toBeCloseTo(applyTemperature(plain, 3)[0] ?? NaN, 9);
    expect(red + blue).toBeCloseTo(1, 12);
    // A temperature above 1 softens the head: its pick keeps less of the mass.
    expect(red).toBeLessThan(plain[0] ?? 0);
    expect(red).toBeGreaterThan(blue);
  });

  it('refuses a temperature that is not a positive number', () => {
    const scorer = softmaxScorer(() => [1, 2], 1);
    expect(() => softmaxScorer(() => [1], 0)).toThrow(RangeError);
    expect(() => scorer.calibrated?.(-1)).toThrow(RangeError);
    expect(() => scorer.calibrated?.(Number.NaN)).toThrow(RangeError);
  });
});
