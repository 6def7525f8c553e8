/**
 * @module
 * Operations on discrete distributions (label scores aligned by index), shared by heads and fusion.
 */

/** `softmax(logits)`, shifted by the maximum so that large logits cannot overflow. */
export function softmax(logits: readonly number[]): number[] {
  let max = Number.NEGATIVE_INFINITY;
  for (const logit of logits) if (logit > max) max = logit;
  const exps = logits.map((logit) => Math.exp(logit - max));
  let total = 0;
  for (const value of exps) total += value;
  return exps.map((value) => value / total);
}

/** Scales non-negative scores to sum to 1 (uniform if they are all 0), undoing floating-point drift. */
export function renormalize(scores: readonly number[]): number[] {
  const total = scores.reduce((sum, value) => sum + value, 0);
  return total > 0 ? scores.map((value) => value / total) : scores.map(() => 1 / scores.length);
}
