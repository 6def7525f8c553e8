/**
 * @module
 * Stacking: a meta-classifier learned from the task's examples (see `stacking-model.ts`) over the concatenated
 * modality distributions. It learns how much each modality is worth and how sure to be, so it can beat every fixed
 * rule when a modality is systematically over- or under-confident. Weights only select modalities (0 removes one;
 * the others are used with their learned coefficients, so scaling weights changes nothing). Before the task has
 * been refitted, or for a modality the model has not seen, it falls back to the product rule with the given weights.
 */
import { featureFloor } from './stacking-model.ts';
import { addWeightedLogs, softmaxInPlace, type Scores } from './arithmetic.ts';
import { defineStrategy } from './strategy.ts';

/** `a · log max(p, floor) + c · p` added to each label's logit: one modality's part, in one pass. */
function addFeatures(logits: Float64Array, scores: Scores, a: number, c: number): void {
  for (let y = 0; y < logits.length; y++) {
    const p = scores[y] ?? 0;
    logits[y] = (logits[y] ?? 0) + a * Math.log(p > featureFloor ? p : featureFloor) + c * p;
  }
}

export const stacking = defineStrategy({
  name: 'stacking',
  description: 'A meta-classifier fitted on held-out task examples over the concatenated modality scores.',
  fuse(distributions, weights, { modalities, stacking: model }) {
    const fitted = model?.coefficients ?? {};
    const logs = new Float64Array(distributions.length);
    const linear = new Float64Array(distributions.length);
    for (let m = 0; m < distributions.length; m++) {
      const name = modalities[m] ?? '';
      const [a, c] = (Object.hasOwn(fitted, name) ? fitted[name] : undefined) ?? [weights[m] ?? 0, 0];
      logs[m] = a;
      linear[m] = c;
    }
    // The model's features are centred log-probabilities; the centring shifts every label's logit alike, which the
    // softmax ignores, so the plain logarithms do (see `stackingLogits`).
    const scores = new Float64Array(distributions[0]?.length ?? 0);
    const bias = model?.bias ?? [];
    for (let y = 0; y < scores.length; y++) scores[y] = bias[y] ?? 0;
    if (linear.every((c) => c === 0)) addWeightedLogs(scores, distributions, logs, featureFloor);
    else
      for (let m = 0; m < distributions.length; m++)
        addFeatures(scores, distributions[m] ?? scores, logs[m] ?? 0, linear[m] ?? 0);
    return softmaxInPlace(scores);
  },
});
