/**
 * @module
 * Weighted majority vote: each modality votes for its top label with its weight; the scores are the vote shares.
 * Ties between labels are broken by the linear pool, which is mixed in with a tiny weight ({@link tieBreakShare}):
 * small enough never to overturn a vote, large enough to order tied labels and to keep every score above 0 (so a
 * log-loss stays finite). Robust to a modality's miscalibrated confidence, blind to how sure it is.
 */
import { argmax, linearPool, normalizeInPlace } from './arithmetic.ts';
import { defineStrategy } from './strategy.ts';

/** The share of the linear pool in the answer. */
export const tieBreakShare = 1e-6;

export const vote = defineStrategy({
  name: 'vote',
  description: "Weighted majority vote of the modalities' top labels; ties broken by the weighted pool.",
  fuse(distributions, weights) {
    const pool = normalizeInPlace(linearPool(distributions, weights));
    const shares = new Float64Array(pool.length);
    for (let m = 0; m < distributions.length; m++) {
      const top = argmax(distributions[m] ?? pool);
      shares[top] = (shares[top] ?? 0) + (weights[m] ?? 0);
    }
    normalizeInPlace(shares);
    for (let y = 0; y < pool.length; y++) {
      pool[y] = (1 - tieBreakShare) * (shares[y] ?? 0) + tieBreakShare * (pool[y] ?? 0);
    }
    return pool;
  },
});
