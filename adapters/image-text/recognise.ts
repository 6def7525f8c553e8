/**
 * @module
 * Text recognition's post-processing, as PaddleOCR's `CTCLabelDecode` (`ppocr/postprocess/rec_postprocess.py`):
 * per time step the most probable class, repeats collapsed, the blank (class 0) dropped, class `i` the dictionary's
 * entry `i − 1`, where the dictionary is `ppocr_keys_v1.txt` line by line plus a space (`use_space_char`). A line's
 * confidence is the mean probability of its kept characters; lines under 0.5 are dropped, as PaddleOCR's
 * `drop_score` and gutenye's `mean >= 0.5` do. Lines are put in reading order: boxes whose vertical centres differ
 * by less than half the mean box height form one row (gutenye's `groupBoxesByMidlineDifference`), rows top to
 * bottom, boxes left to right.
 */
import type { Box } from './detect.ts';

export interface Recognised {
  readonly text: string;
  /** Each kept character's probability. */
  readonly probabilities: readonly number[];
}

/** PaddleOCR's `drop_score`. */
export const dropScore = 0.5;

/** The dictionary file's lines, then the space (class `i` is entry `i − 1`). */
export function dictionaryOf(file: string): string[] {
  return [...file.replace(/\r/g, '').split('\n'), ' '];
}

/** Greedy CTC over `steps` rows of `classes` probabilities. */
export function ctcDecode(
  probabilities: Float32Array,
  steps: number,
  classes: number,
  dictionary: readonly string[],
): Recognised {
  let text = '';
  const kept: number[] = [];
  let previous = -1;
  for (let step = 0; step < steps; step++) {
    let best = 0;
    let bestProbability = -Infinity;
    for (let c = 0; c < classes; c++) {
      const p = probabilities[step * classes + c] ?? 0;
      if (p > bestProbability) {
        best = c;
        bestProbability = p;
      }
    }
    if (best !== 0 && best !== previous) {
      text += dictionary[best - 1] ?? '';
      kept.push(bestProbability);
    }
    previous = best;
  }
  return { text, probabilities: kept };
}

export function meanOf(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** One recognised box. */
export interface Line extends Recognised {
  readonly box: Box;
}

/** The lines in reading order, as text: words of a row joined by spaces, rows by newlines. */
export function readingOrder(lines: readonly Line[]): string {
  const meanHeight = meanOf(lines.map((line) => line.box.height));
  const centre = (line: Line) => line.box.top + line.box.height / 2;
  const rows: Line[][] = [];
  for (const line of [...lines].sort((a, b) => centre(a) - centre(b))) {
    const row = rows.find(
      (candidate) => Math.abs(centre(candidate[0] as Line) - centre(line)) < meanHeight / 2,
    );
    if (row) row.push(line);
    else rows.push([line]);
  }
  return rows
    .map((row) =>
      row
        .sort((a, b) => a.box.left - b.box.left)
        .map((line) => line.text.trim())
        .join(' '),
    )
    .join('\n');
}
