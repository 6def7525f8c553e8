/**
 * @module
 * Fusion by example: the numbers each built-in strategy must give, the weights it reports, and the errors for
 * what cannot be fused.
 */
import { describe, expect, it } from 'vitest';
import { UnknownNameError } from '../lookup-error.ts';
import { fuse, resolveWeights } from './fuse.ts';
import { findStrategy, strategyNames } from './registry.ts';

const labels = ['cat', 'dog'];
const text = { modality: 'text', scores: [0.9, 0.1] };
const image = { modality: 'image', scores: [0.3, 0.7] };

describe('weighted', () => {
  it('is the weighted mean of the distributions', () => {
    const result = fuse(labels, [text, image], { strategy: 'weighted', weights: { text: 3, image: 1 } });
    expect(result.label).toBe('cat');
    expect(result.scores[0]?.score).toBeCloseTo(0.75 * 0.9 + 0.25 * 0.3, 12);
    expect(result.weights).toEqual({ text: 0.75, image: 0.25 });
    expect(result.strategy).toBe('weighted');
  });

  it('weighs modalities equally by default', () => {
    const result = fuse(labels, [text, image], { strategy: 'weighted' });
    expect(result.scores).toEqual([
      { label: 'cat', score: expect.closeTo(0.6, 12) as number },
      { label: 'dog', score: expect.closeTo(0.4, 12) as number },
    ]);
  });
});

describe('product', () => {
  it('is the normalised weighted geometric mean', () => {
    const result = fuse(labels, [text, image], { strategy: 'product' });
    const cat = Math.sqrt(0.9 * 0.3);
    const dog = Math.sqrt(0.1 * 0.7);
    expect(result.scores[0]).toEqual({
      label: 'cat',
      score: expect.closeTo(cat / (cat + dog), 12) as number,
    });
  });

  it('floors zero probabilities instead of producing NaN', () => {
    const certain = { modality: 'audio', scores: [1, 0] };
    const opposite = { modality: 'text', scores: [0, 1] };
    const result = fuse(labels, [certain, opposite], { strategy: 'product' });
    expect(result.scores.map((s) => s.score)).toEqual([0.5, 0.5]);
  });
});

describe('fuse', () => {
  it('lets a weight decide between modalities that disagree', () => {
    expect(fuse(labels, [text, image], { strategy: 'weighted', weights: { text: 0 } }).label).toBe('dog');
    expect(fuse(labels, [text, image], { strategy: 'product', weights: { image: 0 } }).label).toBe('cat');
  });

  it('keeps the label order for ties', () => {
    const flat = { modality: 'text', scores: [0.5, 0.5] };
    expect(fuse(['b', 'a'], [flat], { strategy: 'weighted' }).label).toBe('b');
  });

  it('refuses an unknown strategy, listing the known ones', () => {
    expect(() => fuse(labels, [text], { strategy: 'median' })).toThrow(UnknownNameError);
    expect(() => findStrategy('median')).toThrow(
      /unknown fusion strategy "median"; known: weighted, product, max, vote, confidence, stacking/,
    );
    expect(strategyNames).toEqual(['weighted', 'product', 'max', 'vote', 'confidence', 'stacking']);
  });

  it('refuses to fuse when every weight is 0, or a modality twice', () => {
    expect(() =>
      fuse(labels, [text, image], { strategy: 'weighted', weights: { text: 0, image: 0 } }),
    ).toThrow(RangeError);
    expect(() => fuse(labels, [text, text], { strategy: 'weighted' })).toThrow(RangeError);
  });
});

describe('resolveWeights', () => {
  it('defaults to 1 and renormalises over the present modalities', () => {
    expect(resolveWeights(['text', 'audio'], { image: 5, text: 3 })).toEqual({ text: 0.75, audio: 0.25 });
  });

  it('answers undefined when nothing has weight, and refuses negative or non-finite weights', () => {
    expect(resolveWeights(['text'], { text: 0 })).toBeUndefined();
    expect(resolveWeights([], {})).toBeUndefined();
    expect(() => resolveWeights(['text'], { text: -1 })).toThrow(RangeError);
    expect(() => resolveWeights(['text'], { text: Number.NaN })).toThrow(RangeError);
    expect(() => resolveWeights(['text'], { text: Number.POSITIVE_INFINITY })).toThrow(RangeError);
  });
});
