/**
 * @module
 * The linear head: fitted by regularised multinomial logistic regression it separates what centroids cannot (a
 * label whose examples sit on two sides of another), given weights are used as they are, and bad states and
 * vectors are refused.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeFloat32 } from '../vectors.ts';
import { fitLinear, linearScorer } from './linear.ts';
import { addExamples, DimensionMismatchError, emptyPrototype, scorePrototype } from './prototype.ts';

const labels = ['a', 'b'];

/** Label a on both sides of label b along the first axis: centroids of a and b nearly coincide. */
const split = [
  { label: 'a', embedding: [1, 0.2, 1] },
  { label: 'a', embedding: [-1, 0.2, 1] },
  { label: 'a', embedding: [1, 0.25, 1] },
  { label: 'a', embedding: [-1, 0.15, 1] },
  { label: 'b', embedding: [0.05, 1, 1] },
  { label: 'b', embedding: [-0.05, 1, 1] },
];

describe('fitLinear', () => {
  it('learns the direction that tells the labels apart', () => {
    const scorer = linearScorer(fitLinear(split, labels, { l2: 1e-4 }), labels);
    for (const { label, embedding } of split) {
      const [a = 0, b = 0] = scorer(embedding);
      expect(label === 'a' ? a > b : b > a).toBe(true);
    }
    const [a = 0] = scorer([0.9, 0.1, 1]);
    expect(a).toBeGreaterThan(0.5);
  });

  it('is regularised: a strong penalty keeps the scores soft', () => {
    const soft = linearScorer(fitLinear(split, labels, { l2: 10 }), labels)([0, 1, 1]);
    const sharp = linearScorer(fitLinear(split, labels, { l2: 1e-4 }), labels)([0, 1, 1]);
    expect(Math.max(...soft)).toBeLessThan(Math.max(...sharp));
    expect(Math.max(...soft)).toBeLessThan(0.75);
  });

  it('is deterministic and stores W as K × D float32', () => {
    const state = fitLinear(split, labels);
    expect(fitLinear(split, labels)).toEqual(state);
    expect(state.dimension).toBe(3);
    expect(state.bias).toHaveLength(2);
  });

  it('refuses no examples, an unknown label and mixed dimensions', () => {
    expect(() => fitLinear([], labels)).toThrow(RangeError);
    expect(() => fitLinear([{ label: 'c', embedding: [1] }], labels)).toThrow(RangeError);
    expect(() =>
      fitLinear(
        [
          { label: 'a', embedding: [1, 0] },
          { label: 'b', embedding: [1] },
        ],
        labels,
      ),
    ).toThrow(DimensionMismatchError);
  });

  it('agrees with the prototype head on well-separated clusters', () => {
    const clusters = [
      { label: 'a', embedding: [1, 0.1] },
      { label: 'a', embedding: [0.9, -0.1] },
      { label: 'b', embedding: [0.1, 1] },
      { label: 'b', embedding: [-0.1, 0.9] },
    ];
    const scorer = linearScorer(fitLinear(clusters, labels), labels);
    const prototype = addExamples(emptyPrototype(), clusters);
    fc.assert(
      fc.property(
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        (x, y) => {
          fc.pre(Math.abs(Math.abs(x) - Math.abs(y)) > 0.2 && x + y > 0.2);
          const linear = scorer([x, y]);
          const proto = scorePrototype(prototype, labels, [x, y]);
          expect(linear.indexOf(Math.max(...linear))).toBe(proto.indexOf(Math.max(...proto)));
        },
      ),
    );
  });
});

describe('linearScorer', () => {
  it('uses given weights as softmax(W e/|e| + b)', () => {
    const state = { dimension: 2, weights: encodeFloat32([2, 0, 0, 2]), bias: [0, 1] };
    const [a = 0, b = 0] = linearScorer(state, labels)([3, 4]);
    expect(Math.log(a / b)).toBeCloseTo(2 * 0.6 - (2 * 0.8 + 1), 6);
  });

  it('refuses weights of the wrong shape and vectors of the wrong length', () => {
    expect(() =>
      linearScorer({ dimension: 3, weights: encodeFloat32([1, 2]), bias: [0, 0] }, labels),
    ).toThrow(RangeError);
    const state = { dimension: 1, weights: encodeFloat32([1, 2]), bias: [0, 0] };
    expect(() => linearScorer(state, labels)([1, 2])).toThrow(DimensionMismatchError);
  });
});
