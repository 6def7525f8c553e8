/**
 * @module
 * Confidence-weighted pool: the linear pool with each weight scaled by the modality's confidence
 * `1 − H(p_m) / log K` (1 for a one-hot distribution, 0 for a uniform one). A modality that cannot tell the labels
 * apart on this item (noise, a blank picture) steps aside without anyone having to set its weight. When every
 * modality is uniform there is nothing to prefer and the plain weights are used.
 */
import { renormalize } from '../distribution.ts';
import { defineStrategy } from './strategy.ts';
import { weighted } from './weighted.ts';

/** `1 − H(p)/log K`, in [0, 1]; 1 for a single label. */
export function confidenceOf(scores: readonly number[]): number {
  if (scores.length < 2) return 1;
  const entropy = scores.reduce((sum, p) => (p > 0 ? sum - p * Math.log(p) : sum), 0);
  return Math.min(1, Math.max(0, 1 - entropy / Math.log(scores.length)));
}

export const confidence = defineStrategy({
  name: 'confidence',
  description: "Linear pool with each modality's weight scaled by its confidence 1 − H(p)/log K.",
  fuse(distributions, weights, context) {
    const scaled = distributions.map((scores, m) => (weights[m] ?? 0) * confidenceOf(scores));
    const total = scaled.reduce((sum, w) => sum + w, 0);
    return weighted.fuse(distributions, total > 0 ? renormalize(scaled) : weights, context);
  },
});
