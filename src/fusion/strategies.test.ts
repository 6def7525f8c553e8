/**
 * @module
 * The strategies added beside the pools, by example: max, vote (shares, ties by the weighted pool), confidence
 * (uniform modalities step aside), stacking (fallback to product, a fitted model), and product never NaN.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { confidenceOf } from './confidence.ts';
import { fuse } from './fuse.ts';
import { fitStacking, type StackingSample } from './stacking-model.ts';
import { tieBreakShare } from './vote.ts';

const labels = ['cat', 'dog', 'owl'];
const text = { modality: 'text', scores: [0.7, 0.2, 0.1] };
const image = { modality: 'image', scores: [0.1, 0.5, 0.4] };
const audio = { modality: 'audio', scores: [0.2, 0.5, 0.3] };

function scoresOf(result: ReturnType<typeof fuse>): number[] {
  return labels.map((label) => result.scores.find((s) => s.label === label)?.score ?? Number.NaN);
}

describe('max', () => {
  it('keeps the largest weighted score per label, renormalised', () => {
    const [cat = 0, dog = 0, owl = 0] = scoresOf(fuse(labels, [text, image], { strategy: 'max' }));
    expect(cat / dog).toBeCloseTo(0.7 / 0.5, 12);
    expect(owl / dog).toBeCloseTo(0.4 / 0.5, 12);
  });
});

describe('vote', () => {
  it('answers vote shares: two modalities for dog beat one surer one for cat', () => {
    const result = fuse(labels, [text, image, audio], { strategy: 'vote' });
    expect(result.label).toBe('dog');
    const [cat = 0, dog = 0, owl = 0] = scoresOf(result);
    expect(dog).toBeCloseTo(2 / 3, 5);
    expect(cat).toBeCloseTo(1 / 3, 5);
    expect(owl).toBeGreaterThan(0);
    expect(owl).toBeLessThan(tieBreakShare);
  });

  it('breaks a tie of votes by the weighted pool', () => {
    const result = fuse(labels, [text, image], { strategy: 'vote' });
    expect(result.label).toBe('cat');
    const leaning = fuse(labels, [text, { modality: 'image', scores: [0.0, 0.9, 0.1] }], {
      strategy: 'vote',
    });
    expect(leaning.label).toBe('dog');
  });

  it('lets weights outvote a majority', () => {
    const result = fuse(labels, [text, image, audio], { strategy: 'vote', weights: { text: 3 } });
    expect(result.label).toBe('cat');
  });
});

describe('confidence', () => {
  it('is 1 for one-hot, 0 for uniform', () => {
    expect(confidenceOf([1, 0, 0])).toBe(1);
    expect(confidenceOf([1 / 3, 1 / 3, 1 / 3])).toBeCloseTo(0, 12);
    expect(confidenceOf([1])).toBe(1);
  });

  it('lets a uniform modality step aside, and falls back to the weights when all are uniform', () => {
    const uniform = { modality: 'audio', scores: [1 / 3, 1 / 3, 1 / 3] };
    const withUniform = scoresOf(fuse(labels, [text, uniform], { strategy: 'confidence' }));
    expect(withUniform[0]).toBeCloseTo(0.7, 9);
    const both = fuse(labels, [uniform, { ...uniform, modality: 'text' }], { strategy: 'confidence' });
    expect(scoresOf(both)[0]).toBeCloseTo(1 / 3, 12);
  });

  it('trusts the surer modality more than the weighted pool does', () => {
    const sure = { modality: 'text', scores: [0.98, 0.01, 0.01] };
    const unsure = { modality: 'image', scores: [0.2, 0.45, 0.35] };
    const c = scoresOf(fuse(labels, [sure, unsure], { strategy: 'confidence' }))[0] ?? 0;
    const w = scoresOf(fuse(labels, [sure, unsure], { strategy: 'weighted' }))[0] ?? 0;
    expect(c).toBeGreaterThan(w);
  });
});

describe('product', () => {
  it('never yields NaN, whatever zeros and weights it is given', () => {
    const scores = fc.array(fc.constantFrom(0, 1, 1e-300, 0.5), { minLength: 3, maxLength: 3 });
    fc.assert(
      fc.property(scores, scores, fc.double({ min: 1e-9, max: 1e9, noNaN: true }), (a, b, w) => {
        const result = fuse(
          labels,
          [
            { modality: 'text', scores: a },
            { modality: 'image', scores: b },
          ],
          {
            strategy: 'product',
            weights: { text: w },
          },
        );
        expect(result.scores.every((s) => Number.isFinite(s.score))).toBe(true);
        expect(result.scores.reduce((sum, s) => sum + s.score, 0)).toBeCloseTo(1, 9);
      }),
    );
  });
});

describe('stacking', () => {
  it('is the product rule until a model is fitted', () => {
    const stacked = scoresOf(fuse(labels, [text, image], { strategy: 'stacking' }));
    const product = scoresOf(fuse(labels, [text, image], { strategy: 'product' }));
    stacked.forEach((score, i) => expect(score).toBeCloseTo(product[i] ?? 0, 9));
  });

  it('learns to trust the modality that is right and ignore the one that is noise', () => {
    // text always points at the truth (softly), audio is a confident random guess.
    const samples: StackingSample[] = Array.from({ length: 60 }, (_, i) => {
      const label = i % 3;
      const guess = (i * 7 + Math.floor(i / 3)) % 3;
      return {
        label,
        distributions: {
          text: labels.map((_, y) => (y === label ? 0.5 : 0.25)),
          audio: labels.map((_, y) => (y === guess ? 0.9 : 0.05)),
        },
      };
    });
    const model = fitStacking(samples, labels.length);
    const [textA = 0] = model.coefficients.text ?? [];
    const [audioA = 0] = model.coefficients.audio ?? [];
    expect(textA).toBeGreaterThan(Math.abs(audioA) * 3);
    const conflict = [
      { modality: 'text', scores: [0.5, 0.25, 0.25] },
      { modality: 'audio', scores: [0.05, 0.9, 0.05] },
    ];
    expect(fuse(labels, conflict, { strategy: 'stacking', stacking: model }).label).toBe('cat');
    expect(fuse(labels, conflict, { strategy: 'product' }).label).toBe('dog');
  });

  it('refuses to fit without samples', () => {
    expect(() => fitStacking([], 3)).toThrow(RangeError);
  });
});
