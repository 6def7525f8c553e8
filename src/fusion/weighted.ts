/**
 * @module
 * Linear opinion pool: `p(y) = Σ w_m p_m(y)`. Robust to one modality being confidently wrong, since no score can
 * veto a label.
 */
import { linearPool, normalizeInPlace } from './arithmetic.ts';
import { defineStrategy } from './strategy.ts';

export const weighted = defineStrategy({
  name: 'weighted',
  description: 'Linear opinion pool: the weighted mean of the modality distributions.',
  fuse(distributions, weights) {
    return normalizeInPlace(linearPool(distributions, weights));
  },
});
