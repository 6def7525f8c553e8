/**
 * @module
 * Linear opinion pool: `p(y) = Σ w_m p_m(y)`. Robust to one modality being confidently wrong, since no score can
 * veto a label.
 */
import { renormalize } from '../distribution.ts';
import { defineStrategy } from './strategy.ts';

export const weighted = defineStrategy({
  name: 'weighted',
  description: 'Linear opinion pool: the weighted mean of the modality distributions.',
  fuse(distributions, weights) {
    const labels = distributions[0]?.length ?? 0;
    const pooled = Array.from({ length: labels }, (_, label) =>
      distributions.reduce((sum, scores, m) => sum + (weights[m] ?? 0) * (scores[label] ?? 0), 0),
    );
    return renormalize(pooled);
  },
});
