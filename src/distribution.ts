/**
 * @module
 * Operations on discrete distributions (label scores aligned by index), shared by heads and fusion.
 */

/**
 * `softmax(logits · scale)`, shifted by the maximum so that large logits cannot overflow. Index loops over any array
 * of numbers: heads call it on every label of a task (thousands), straight on the scores of their matrix.
 */
export function softmax(logits: ArrayLike<number>, scale = 1): number[] {
  const size = logits.length;
  let max = Number.NEGATIVE_INFINITY;
  for (let y = 0; y < size; y++) {
    const logit = (logits[y] ?? 0) * scale;
    if (logit > max) max = logit;
  }
  // Filled first, so the array is packed (its reads are then plain loads).
  const exps = new Array<number>(size).fill(0);
  let total = 0;
  for (let y = 0; y < size; y++) {
    const value = Math.exp((logits[y] ?? 0) * scale - max);
    exps[y] = value;
    total += value;
  }
  for (let y = 0; y < size; y++) exps[y] = (exps[y] ?? 0) / total;
  return exps;
}

/** Scales non-negative scores to sum to 1 (uniform if they are all 0), undoing floating-point drift. */
export function renormalize(scores: readonly number[]): number[] {
  const total = scores.reduce((sum, value) => sum + value, 0);
  return total > 0 ? scores.map((value) => value / total) : scores.map(() => 1 / scores.length);
}
