/**
 * @module
 * The zero-shot head with a tiny shared-space model pair built here: a text tower (a bag of colour words, each a
 * fixed direction) and an image tower (an RGB mean projected onto the same directions). Neither tower saw a
 * labelled example, yet the head names the colour of a picture from the labels' prompts alone. Also how a label's
 * prompts are chosen (given, templates, the modality's default) and averaged.
 */
import { describe, expect, it } from 'vitest';
import { DimensionMismatchError } from './prototype.ts';
import { decodeFloat32 } from '../vectors.ts';
import { promptFor, promptTexts, zeroShotScorer, zeroShotState } from './zero-shot.ts';

/** The shared space: one axis per primary colour, plus one for everything else. */
const axes: Record<string, readonly number[]> = {
  red: [1, 0, 0, 0],
  green: [0, 1, 0, 0],
  blue: [0, 0, 1, 0],
};

function textTower(text: string): number[] {
  const sum = [0, 0, 0, 0.1];
  for (const word of text.toLowerCase().split(/\W+/)) {
    (axes[word] ?? [0, 0, 0, 1]).forEach((value, i) => (sum[i] = (sum[i] ?? 0) + value));
  }
  return sum;
}

/** Mean RGB of a picture (pixels as [r, g, b] in 0..255) in the same axes. */
function imageTower(pixels: readonly (readonly [number, number, number])[]): number[] {
  const mean = [0, 1, 2].map((c) => pixels.reduce((sum, p) => sum + (p[c] ?? 0), 0) / pixels.length / 255);
  return [...mean, 0.1];
}

const labels = ['red', 'green', 'blue'];
const state = zeroShotState(
  'toy-text',
  labels,
  labels.map((label) => [textTower(promptFor(label, 'a photo of a {label}'))]),
);

describe('zero-shot head', () => {
  it('names the colour of a picture from the prompts alone', () => {
    const scorer = zeroShotScorer(state, labels, 0.1);
    const greenish = imageTower([
      [20, 200, 40],
      [40, 180, 60],
    ]);
    const scores = scorer(greenish);
    expect(scores.indexOf(Math.max(...scores))).toBe(1);
    expect(scores.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(promptFor('green', 'a photo of a {label}')).toBe('a photo of a green');
    expect(promptFor('x', '{label} or {label}')).toBe('x or x');
  });

  it('puts labels into their modality’s default template, or the given ones, unless given prompts', () => {
    expect(promptTexts(['cat'], 'image', {})).toEqual({ cat: ['a photo of a cat'] });
    expect(promptTexts(['cat'], 'text', {})).toEqual({ cat: ['cat'] });
    const templates = ['a photo of a {label}', 'a drawing of a {label}'];
    const prompts = { dog: 'a loyal hound', cat: ['a purring pet', 'a kitten'] };
    expect(promptTexts(['cat', 'dog', 'fox'], 'image', { templates, prompts })).toEqual({
      cat: ['a purring pet', 'a kitten'],
      dog: ['a loyal hound'],
      fox: ['a photo of a fox', 'a drawing of a fox'],
    });
    expect(promptTexts(['constructor'], 'text', { prompts: {} })).toEqual({ constructor: ['constructor'] });
  });

  it('represents a label by the mean direction of its prompts, whatever their lengths', () => {
    const averaged = zeroShotState(
      'toy-text',
      ['red', 'blue'],
      [
        [
          [5, 0, 0, 0],
          [0, 0, 0, 1],
        ],
        [[0, 0, 2, 0]],
      ],
    );
    const scorer = zeroShotScorer(averaged, ['red', 'blue'], 0.1);
    const [onRedAxis = 0] = scorer([1, 0, 0, 0]);
    const [onNoise = 0] = scorer([0, 0, 0, 1]);
    expect(onRedAxis).toBeGreaterThan(0.9);
    expect(onNoise).toBeGreaterThan(0.9);
    expect(decodeFloat32(averaged.embeddings.red ?? '')[0]).toBeCloseTo(Math.SQRT1_2, 6);
  });

  it('refuses a missing prompt, a bad temperature and a vector from another space', () => {
    expect(() => zeroShotScorer(state, [...labels, 'pink'], 0.1)).toThrow(RangeError);
    expect(() => zeroShotScorer(state, labels, 0)).toThrow(RangeError);
    expect(() => zeroShotScorer(state, labels, 0.1)([1, 0])).toThrow(DimensionMismatchError);
    expect(() => zeroShotState('toy-text', labels, [[[1]]])).toThrow(RangeError);
    expect(() => zeroShotState('toy-text', ['red'], [[]])).toThrow(RangeError);
  });
});
