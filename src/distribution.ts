/**
 * @module
 * Operations on discrete distributions (label scores aligned by index), shared by heads and fusion.
 */

/** `softmax(logits)`, shifted by the maximum so that large logits cannot overflow. */
export function softmax(logits: readonly number[]): number[] {
  const max = Math.max(...logits);
  const exps = logits.map((logit) => Math.exp(logit - max));
  const total = exps.reduce((sum, value) => sum + value, 0);
  return exps.map((value) => value / total);
}

/** Scales non-negative scores to sum to 1 (uniform if they are all 0), undoing floating-point drift. */
export function renormalize(scores: readonly number[]): number[] {
  const total = scores.reduce((sum, value) => sum + value, 0);
  return total > 0 ? scores.map((value) => value / total) : scores.map(() => 1 / scores.length);
}

export interface LabelScore {
  readonly label: string;
  readonly score: number;
}

/** Scores paired with their labels, best first; ties keep the task's label order. */
export function rank(labels: readonly string[], scores: readonly number[]): LabelScore[] {
  return labels
    .map((label, index) => ({ label, score: scores[index] ?? 0 }))
    .sort((a, b) => b.score - a.score);
}
