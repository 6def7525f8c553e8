/**
 * @module
 * Max pool: `p(y) ∝ max_m w_m p_m(y)`. Lets the single most confident modality speak for each label, which helps
 * when a modality is either sure and right or unsure (a blurred picture, a mumbled word), and hurts when one is
 * sure and wrong.
 */
import { normalizeInPlace } from './arithmetic.ts';
import { defineStrategy } from './strategy.ts';

export const max = defineStrategy({
  name: 'max',
  description: 'Max pool: per label, the largest weighted modality score, renormalised.',
  fuse(distributions, weights) {
    const pooled = new Float64Array(distributions[0]?.length ?? 0);
    for (let m = 0; m < distributions.length; m++) {
      const scores = distributions[m] ?? pooled;
      const weight = weights[m] ?? 0;
      for (let y = 0; y < pooled.length; y++) {
        const value = weight * (scores[y] ?? 0);
        if (value > (pooled[y] ?? 0)) pooled[y] = value;
      }
    }
    return normalizeInPlace(pooled);
  },
});
