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

export interface LabelScore {
  readonly label: string;
  readonly score: number;
}

/** The sort key of a score: NaN (never expected) ranks last instead of breaking the order. */
function keyOf(score: number | undefined): number {
  return score === undefined || Number.isNaN(score) ? Number.NEGATIVE_INFINITY : score;
}

/** The first position in `descending` holding a value ≤ `value`. */
function firstAtMost(descending: Float64Array, value: number): number {
  let low = 0;
  let high = descending.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((descending[mid] ?? 0) > value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * Scores paired with their labels, best first; ties keep the task's label order. The scores are sorted natively as
 * a Float64Array (no comparator), and each label finds its place by binary search, ties taking the next free slot
 * in label order: several times faster than sorting objects with a comparator (fusion ranks 100 labels per item in
 * a budget of microseconds).
 */
export function rank(labels: readonly string[], scores: readonly number[]): LabelScore[] {
  const descending = new Float64Array(labels.length);
  for (let index = 0; index < labels.length; index++) descending[index] = keyOf(scores[index]);
  descending.sort().reverse();
  const taken = new Uint32Array(labels.length);
  const ranked = new Array<LabelScore>(labels.length);
  labels.forEach((label, index) => {
    const first = firstAtMost(descending, keyOf(scores[index]));
    const offset = taken[first] ?? 0;
    taken[first] = offset + 1;
    ranked[first + offset] = { label, score: scores[index] ?? 0 };
  });
  return ranked;
}
