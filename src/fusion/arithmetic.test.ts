/**
 * @module
 * The shared fusion arithmetic against its plain definition: the grouped logarithms of equal-weight modalities
 * equal `Σ_m w_m log max(p_m, floor)` for any scores (tiny ones included, where a floor applied to a product
 * instead of to each factor would show), and the in-place softmax and normalisation return distributions.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addWeightedLogs, normalizeInPlace, softmaxInPlace } from './arithmetic.ts';

const floor = 1e-12;

const scores = fc.array(
  fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 1e-15, 1e-7)),
  {
    minLength: 5,
    maxLength: 5,
  },
);

describe('addWeightedLogs', () => {
  it('equals the sum of floored weighted logarithms, for equal and unequal weights', () => {
    const weight = fc.constantFrom(0.25, 0.5, 1, 2);
    fc.assert(
      fc.property(fc.array(fc.tuple(scores, weight), { minLength: 1, maxLength: 25 }), (modalities) => {
        const distributions = modalities.map(([p]) => p);
        const weights = modalities.map(([, w]) => w);
        const logits = new Float64Array(5);
        addWeightedLogs(logits, distributions, weights, floor);
        for (let y = 0; y < 5; y++) {
          const expected = modalities.reduce(
            (sum, [p, w]) => sum + w * Math.log(Math.max(p[y] ?? 0, floor)),
            0,
          );
          expect(logits[y]).toBeCloseTo(expected, 6);
        }
      }),
    );
  });
});

describe('softmaxInPlace and normalizeInPlace', () => {
  it('return distributions, uniform when every score is 0', () => {
    expect([...softmaxInPlace(Float64Array.from([1000, 999, -1000]))][0]).toBeCloseTo(
      1 / (1 + Math.exp(-1)),
      12,
    );
    expect([...normalizeInPlace(new Float64Array(4))]).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect([...normalizeInPlace(Float64Array.from([1, 3]))]).toEqual([0.25, 0.75]);
  });
});
