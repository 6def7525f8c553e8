/**
 * @module
 * Ranking and normalising distributions: the native-sort ranking orders exactly as a stable sort of the scores
 * (ties by label order), and softmax survives extreme logits.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rank, renormalize, softmax } from './distribution.ts';

describe('rank', () => {
  it('orders like a stable sort by score, best first, ties in label order', () => {
    const scores = fc.array(
      fc.oneof(fc.constantFrom(0, 0.25, 0.5, 1), fc.double({ min: 0, max: 1, noNaN: true })),
      {
        minLength: 1,
        maxLength: 300,
      },
    );
    fc.assert(
      fc.property(scores, (values) => {
        const labels = values.map((_, i) => `l${i}`);
        const expected = labels
          .map((label, i) => ({ label, score: values[i] ?? 0 }))
          .sort((a, b) => b.score - a.score);
        expect(rank(labels, values)).toEqual(expected);
      }),
    );
  });

  it('puts a NaN score last rather than breaking the order', () => {
    expect(rank(['a', 'b', 'c'], [0.2, Number.NaN, 0.8]).map((s) => s.label)).toEqual(['c', 'a', 'b']);
  });
});

describe('softmax and renormalize', () => {
  it('stay finite for huge logits and all-zero scores', () => {
    expect(softmax([1000, 999, -1000])[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
    expect(renormalize([0, 0])).toEqual([0.5, 0.5]);
  });
});
