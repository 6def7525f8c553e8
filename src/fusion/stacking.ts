/**
 * @module
 * Stacking: a meta-classifier learned from the task's examples (see `stacking-model.ts`) over the concatenated
 * modality distributions. It learns how much each modality is worth and how sure to be, so it can beat every fixed
 * rule when a modality is systematically over- or under-confident. Weights only select modalities (0 removes one;
 * the others are used with their learned coefficients, so scaling weights changes nothing). Before the task has
 * been refitted, or for a modality the model has not seen, it falls back to the product rule with the given weights.
 */
import { softmax } from '../distribution.ts';
import { stackingLogits } from './stacking-model.ts';
import { defineStrategy } from './strategy.ts';

export const stacking = defineStrategy({
  name: 'stacking',
  description: 'A meta-classifier fitted on held-out task examples over the concatenated modality scores.',
  fuse(distributions, weights, { modalities, stacking: model }) {
    const fitted = model?.coefficients ?? {};
    const coefficients = modalities.map(
      (name, m): readonly [number, number] =>
        (Object.hasOwn(fitted, name) ? fitted[name] : undefined) ?? [weights[m] ?? 0, 0],
    );
    return softmax(stackingLogits(distributions, coefficients, model?.bias ?? []));
  },
});
