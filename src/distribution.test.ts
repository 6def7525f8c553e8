/**
 * @module
 * Normalising distributions: softmax survives extreme logits, renormalize all-zero scores.
 */
import { describe, expect, it } from 'vitest';
import { renormalize, softmax } from './distribution.ts';

describe('softmax and renormalize', () => {
  it('stay finite for huge logits and all-zero scores', () => {
    expect(softmax([1000, 999, -1000])[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
    expect(renormalize([0, 0])).toEqual([0.5, 0.5]);
  });
});
