/**
 * @module
 * Max pool: `p(y) ∝ max_m w_m p_m(y)`. Lets the single most confident modality speak for each label, which helps
 * when a modality is either sure and right or unsure (a blurred picture, a mumbled word), and hurts when one is
 * sure and wrong.
 */
import { renormalize } from '../distribution.ts';
import { defineStrategy } from './strategy.ts';

export const max = defineStrategy({
  name: 'max',
  description: 'Max pool: per label, the largest weighted modality score, renormalised.',
  fuse(distributions, weights) {
    const pooled = new Array<number>(distributions[0]?.length ?? 0).fill(0);
    distributions.forEach((scores, m) => {
      const weight = weights[m] ?? 0;
      for (let y = 0; y < pooled.length; y++) pooled[y] = Math.max(pooled[y] ?? 0, weight * (scores[y] ?? 0));
    });
    return renormalize(pooled);
  },
});
