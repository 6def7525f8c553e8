/**
 * @module
 * Log-linear pool: `p(y) ∝ Π p_m(y)^{w_m}`, computed in log space. Modalities that agree sharpen the answer; a
 * near-zero score from one modality strongly vetoes a label, so probabilities are floored to keep a single
 * over-confident head from zeroing the whole product.
 */
import { addWeightedLogs, softmaxInPlace } from './arithmetic.ts';
import { defineStrategy } from './strategy.ts';

/** Smallest probability a modality may give a label, so that `log` stays finite. */
export const probabilityFloor = 1e-12;

export const product = defineStrategy({
  name: 'product',
  description: 'Log-linear pool: the normalised weighted geometric mean of the modality distributions.',
  fuse(distributions, weights) {
    const logits = new Float64Array(distributions[0]?.length ?? 0);
    addWeightedLogs(logits, distributions, weights, probabilityFloor);
    return softmaxInPlace(logits);
  },
});
