/**
 * @module
 * Split-conformal label sets with the Adaptive Prediction Sets score (APS: Romano, Sesia & Candès, "Classification
 * with Valid and Adaptive Coverage", NeurIPS 2020), in its non-randomised form (Angelopoulos & Bates, "A Gentle
 * Introduction to Conformal Prediction", 2021, §2.1). A case's score is the probability mass of the labels ranked
 * at or above its true label. With `n` calibration scores, exchangeable with the test case, the threshold is the
 * `⌈(n+1)·coverage⌉`-th smallest of them — the `+1` is the finite-sample correction — and the set of the labels
 * whose score is at most it contains the true label with probability ≥ coverage. When that rank exceeds `n` the
 * threshold is infinite: the set is every label. Class-conditional (Mondrian, Vovk 2003) thresholds use each
 * label's own calibration cases and hold the guarantee per label; they are used only when every label has enough.
 * Pure: no I/O.
 */

/** The labels' indices, best first; ties go to the lower index, the same order at calibration and at test. */
export function rankedOrder(scores: ArrayLike<number>): number[] {
  return Array.from({ length: scores.length }, (_, i) => i).sort(
    (a, b) => (scores[b] ?? 0) - (scores[a] ?? 0) || a - b,
  );
}

/** The APS score of `label`: the mass of the labels ranked above it, summed best first. */
export function apsScore(scores: ArrayLike<number>, label: number): number {
  let mass = 0;
  for (const i of rankedOrder(scores)) {
    if (i === label) return mass;
    mass += scores[i] ?? 0;
  }
  throw new RangeError(`label ${label} is outside the distribution`);
}

/** The rank (1-based) of the calibration score that is the threshold: `⌈(n+1)·coverage⌉`. */
export function conformalRank(n: number, coverage: number): number {
  // The epsilon keeps a product that floating point puts a hair above an integer (0.9 × 10) on that integer.
  return Math.ceil((n + 1) * coverage - 1e-9);
}

/** The fewest calibration cases for which `coverage` has a finite threshold. */
export function minimumExamples(coverage: number): number {
  let n = 1;
  while (conformalRank(n, coverage) > n) n++;
  return n;
}

/** The threshold of `coverage` over the scores: Infinity when the calibration cannot support the level. */
export function threshold(scores: readonly number[], coverage: number): number {
  const rank = conformalRank(scores.length, coverage);
  if (rank > scores.length) return Number.POSITIVE_INFINITY;
  return [...scores].sort((a, b) => a - b)[rank - 1] ?? Number.POSITIVE_INFINITY;
}

/**
 * The labels (indices, best first) whose APS score is at most their threshold (one for all labels, or one per
 * label). The best label is always kept (its score is 0; with per-label thresholds it may not be, and a superset
 * of a valid set is valid).
 */
export function apsSet(scores: ArrayLike<number>, thresholds: number | readonly number[]): number[] {
  const set: number[] = [];
  let mass = 0;
  for (const i of rankedOrder(scores)) {
    const limit = typeof thresholds === 'number' ? thresholds : (thresholds[i] ?? Infinity);
    if (mass <= limit || set.length === 0) set.push(i);
    mass += scores[i] ?? 0;
  }
  return set;
}
