/**
 * @module
 * Confidence-weighted pool: the linear pool with each weight scaled by the modality's confidence
 * `1 − H(p_m) / log K` (1 for a one-hot distribution, 0 for a uniform one). A modality that cannot tell the labels
 * apart on this item (noise, a blank picture) steps aside without anyone having to set its weight. When every
 * modality is uniform there is nothing to prefer and the plain weights are used.
 */
import { linearPool, normalizeInPlace, type Scores } from './arithmetic.ts';
import { defineStrategy } from './strategy.ts';

/** `1 − H(p)/log K`, in [0, 1]; 1 for a single label. */
export function confidenceOf(scores: Scores): number {
  if (scores.length < 2) return 1;
  let entropy = 0;
  for (let y = 0; y < scores.length; y++) {
    const p = scores[y] ?? 0;
    if (p > 0) entropy -= p * Math.log(p);
  }
  return Math.min(1, Math.max(0, 1 - entropy / Math.log(scores.length)));
}

export const confidence = defineStrategy({
  name: 'confidence',
  description: "Linear pool with each modality's weight scaled by its confidence 1 − H(p)/log K.",
  fuse(distributions, weights) {
    const scaled = new Float64Array(distributions.length);
    let total = 0;
    for (let m = 0; m < distributions.length; m++) {
      scaled[m] = (weights[m] ?? 0) * confidenceOf(distributions[m] ?? []);
      total += scaled[m] ?? 0;
    }
    return normalizeInPlace(linearPool(distributions, total > 0 ? scaled : weights));
  },
});
