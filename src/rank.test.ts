/**
 * @module
 * Ranking: the merge sort orders exactly as a stable sort of the scores (ties by label order), NaN last, and its
 * reused scratch space does not leak between label sets of different sizes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rank } from './rank.ts';

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

  it('keeps only the best k, as the full ranking cut to k (ties in label order)', () => {
    const cases = fc.record({
      values: fc.array(fc.oneof(fc.constantFrom(0, 0.5, 1, Number.NaN), fc.double({ min: 0, max: 1 })), {
        minLength: 1,
        maxLength: 300,
      }),
      k: fc.integer({ min: 1, max: 320 }),
    });
    fc.assert(
      fc.property(cases, ({ values, k }) => {
        const labels = values.map((_, i) => `l${i}`);
        expect(rank(labels, values, k)).toEqual(rank(labels, values).slice(0, k));
      }),
    );
  });

  it('puts a NaN score last rather than breaking the order', () => {
    expect(rank(['a', 'b', 'c'], [0.2, Number.NaN, 0.8]).map((s) => s.label)).toEqual(['c', 'a', 'b']);
  });

  it('ranks a small label set correctly after a larger one', () => {
    rank(
      Array.from({ length: 50 }, (_, i) => `l${i}`),
      Array.from({ length: 50 }, (_, i) => i),
    );
    expect(rank(['a', 'b', 'c'], [0.1, 0.7, 0.2])).toEqual([
      { label: 'b', score: 0.7 },
      { label: 'c', score: 0.2 },
      { label: 'a', score: 0.1 },
    ]);
    expect(rank([], [])).toEqual([]);
  });
});
