/**
 * @module
 * The prototype head: how examples fold into sums and counts, what the scores look like (every label covered,
 * labels without examples last), and why centring matters for vectors that share a large offset.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeFloat32 } from '../vectors.ts';
import {
  addExamples,
  DimensionMismatchError,
  emptyPrototype,
  exampleCount,
  scorePrototype,
  unseenLabelCosine,
} from './prototype.ts';

const labels = ['red', 'green', 'blue'];

describe('addExamples', () => {
  it('sums L2-normalised embeddings and counts them per label', () => {
    const state = addExamples(emptyPrototype(), [
      { label: 'red', embedding: [3, 4] },
      { label: 'red', embedding: [0, 2] },
      { label: 'blue', embedding: [-1, 0] },
    ]);
    expect(state.counts).toEqual({ red: 2, blue: 1 });
    expect(exampleCount(state)).toBe(3);
    expect([...decodeFloat32(state.sums.red ?? '')]).toEqual([
      expect.closeTo(0.6, 6) as number,
      expect.closeTo(1.8, 6) as number,
    ]);
  });

  it('folds more examples in without needing the old ones', () => {
    const once = addExamples(emptyPrototype(), [
      { label: 'red', embedding: [1, 0] },
      { label: 'red', embedding: [0, 1] },
    ]);
    const twice = addExamples(addExamples(emptyPrototype(), [{ label: 'red', embedding: [1, 0] }]), [
      { label: 'red', embedding: [0, 1] },
    ]);
    expect(twice).toEqual(once);
  });

  it('treats labels named like Object properties as plain labels', () => {
    const labels = ['constructor', 'toString', 'hasOwnProperty'];
    const state = addExamples(emptyPrototype(), [
      { label: 'constructor', embedding: [1, 0] },
      { label: 'toString', embedding: [0, 1] },
    ]);
    expect(state.counts).toEqual({ constructor: 1, toString: 1 });
    const scores = scorePrototype(state, labels, [1, 0.1]);
    expect(scores.indexOf(Math.max(...scores))).toBe(0);
    expect(scores[2]).toBeLessThan(Math.min(scores[0] ?? 0, scores[1] ?? 0));
  });

  it('refuses an embedding of another length than the head holds', () => {
    const state = addExamples(emptyPrototype(), [{ label: 'red', embedding: [1, 0] }]);
    expect(() => addExamples(state, [{ label: 'blue', embedding: [1, 0, 0] }])).toThrow(
      DimensionMismatchError,
    );
  });
});

describe('scorePrototype', () => {
  const state = addExamples(emptyPrototype(), [
    { label: 'red', embedding: [1, 0, 0] },
    { label: 'green', embedding: [0, 1, 0] },
    { label: 'blue', embedding: [0, 0, 1] },
  ]);

  it('gives the nearest prototype the top score, over every label, summing to 1', () => {
    const scores = scorePrototype(state, labels, [0.1, 0.9, 0.2]);
    expect(scores).toHaveLength(3);
    expect(scores.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(scores.indexOf(Math.max(...scores))).toBe(1);
  });

  it('sharpens with a lower temperature', () => {
    const soft = scorePrototype(state, labels, [0.1, 0.9, 0.2], 1);
    const sharp = scorePrototype(state, labels, [0.1, 0.9, 0.2], 0.05);
    expect(sharp[1]).toBeGreaterThan(soft[1] ?? 1);
  });

  it('scores a label without examples as cosine −1: the least share, never zero', () => {
    const partial = addExamples(emptyPrototype(), [
      { label: 'red', embedding: [1, 0] },
      { label: 'blue', embedding: [0, 1] },
    ]);
    const [red = 0, green = 0, blue = 0] = scorePrototype(partial, labels, [1, 1], 1);
    expect(green).toBeGreaterThan(0);
    expect(green).toBeLessThan(Math.min(red, blue));
    expect(unseenLabelCosine).toBe(-1);
  });

  it('centres by the mean so that a shared offset does not drown the differences', () => {
    const offset = [10, 10, 10, 10];
    const shifted = (delta: number[]) => offset.map((value, i) => value + (delta[i] ?? 0));
    const cone = addExamples(emptyPrototype(), [
      { label: 'red', embedding: shifted([1, 0, 0, 0]) },
      { label: 'blue', embedding: shifted([0, 1, 0, 0]) },
    ]);
    const [red = 0, , blue = 0] = scorePrototype(cone, labels, shifted([0.8, 0.2, 0, 0]));
    expect(red).toBeGreaterThan(0.9);
    expect(red).toBeGreaterThan(blue);
  });

  it('does not centre with one label only (its centroid would vanish)', () => {
    const one = addExamples(emptyPrototype(), [{ label: 'red', embedding: [1, 0] }]);
    const [red = 0, green = 0] = scorePrototype(one, ['red', 'green'], [1, 0]);
    expect(Math.log(red / green)).toBeCloseTo(2 / 0.1, 6);
  });

  it('refuses a state without examples, a bad temperature and a vector of the wrong length', () => {
    expect(() => scorePrototype(emptyPrototype(), labels, [1, 0, 0])).toThrow(RangeError);
    expect(() => scorePrototype(state, labels, [1, 0, 0], 0)).toThrow(RangeError);
    expect(() => scorePrototype(state, labels, [1, 0, 0], Number.NaN)).toThrow(RangeError);
    expect(() => scorePrototype(state, labels, [1, 0])).toThrow(DimensionMismatchError);
  });

  it('returns a distribution for any embeddings, the zero vector included', () => {
    const vector = fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 4, maxLength: 4 });
    const examples = fc.array(fc.record({ label: fc.constantFrom(...labels), embedding: vector }), {
      minLength: 1,
      maxLength: 12,
    });
    fc.assert(
      fc.property(examples, vector, fc.double({ min: 0.01, max: 10, noNaN: true }), (items, query, t) => {
        const scores = scorePrototype(addExamples(emptyPrototype(), items), labels, query, t);
        expect(scores).toHaveLength(labels.length);
        expect(scores.every((score) => Number.isFinite(score) && score >= 0)).toBe(true);
        expect(scores.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      }),
    );
  });
});
