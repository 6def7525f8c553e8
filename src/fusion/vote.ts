/**
 * @module
 * Weighted majority vote: each modality votes for its top label with its weight; the scores are the vote shares.
 * Ties between labels are broken by the linear pool, which is mixed in with a tiny weight ({@link tieBreakShare}):
 * small enough never to overturn a vote, large enough to order tied labels and to keep every score above 0 (so a
 * log-loss stays finite). Robust to a modality's miscalibrated confidence, blind to how sure it is.
 */
import { renormalize } from '../distribution.ts';
import { defineStrategy } from './strategy.ts';
import { weighted } from './weighted.ts';

/** The share of the linear pool in the answer. */
export const tieBreakShare = 1e-6;

/** The index of the largest score; the first one on ties, so the task's label order decides. */
export function argmax(scores: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < scores.length; i++) if ((scores[i] ?? 0) > (scores[best] ?? 0)) best = i;
  return best;
}

export const vote = defineStrategy({
  name: 'vote',
  description: "Weighted majority vote of the modalities' top labels; ties broken by the weighted pool.",
  fuse(distributions, weights, context) {
    const labels = distributions[0]?.length ?? 0;
    const shares = new Array<number>(labels).fill(0);
    distributions.forEach((scores, m) => {
      const top = argmax(scores);
      shares[top] = (shares[top] ?? 0) + (weights[m] ?? 0);
    });
    const pool = weighted.fuse(distributions, weights, context);
    const votes = renormalize(shares);
    return votes.map((share, y) => (1 - tieBreakShare) * share + tieBreakShare * (pool[y] ?? 0));
  },
});
