/**
 * @module
 * Out-of-fold decisions and what is fitted from them. Distributions of the very examples a head was built from
 * are over-confident (an example is always near its own centroid), so temperatures and the stacking
 * meta-classifier are fitted on k-fold held-out distributions: each item is scored by heads built from the
 * other folds. Items are whole multimodal examples, so one item's modalities always share a fold.
 */
import { fitStacking, type StackingModel } from '../fusion/stacking-model.ts';
import { applyTemperature, fitTemperature } from '../heads/calibration.ts';
import { isScorer, type Head, type Scorer } from '../heads/head.ts';
import { emptyPrototype, type LabelledEmbedding } from '../heads/prototype.ts';
import { findHead } from '../heads/registry.ts';
import type { EvalCase } from './evaluate.ts';

/** One stored example of one modality: which multimodal item it belongs to, its label and embedding. */
export interface ItemEmbedding {
  readonly item: number;
  readonly label: string;
  readonly embedding: ArrayLike<number>;
}

export interface ModalityExamples {
  /** A head that learns from examples (it has `fit`). */
  readonly head: string;
  readonly temperature: number;
  readonly examples: readonly ItemEmbedding[];
}

export const defaultFolds = 5;

/** The head fitted on the examples, as it would score; throws a RangeError when there are none. */
function fittedScorer(
  head: Head,
  examples: readonly LabelledEmbedding[],
  labels: readonly string[],
  temperature: number,
): Scorer {
  if (head.fit === undefined) throw new RangeError(`the ${head.name} head learns nothing from examples`);
  const scorer = head.scorer(
    { temperature, prototype: emptyPrototype(), ...head.fit(examples, labels) },
    labels,
    '',
  );
  if (!isScorer(scorer)) throw new RangeError(scorer.detail);
  return scorer;
}

/** Per item (in order of first appearance), its label and each modality's held-out distribution. */
export function outOfFold(
  labels: readonly string[],
  modalities: Readonly<Record<string, ModalityExamples>>,
  folds = defaultFolds,
): EvalCase[] {
  const steps = outOfFoldSteps(labels, modalities, folds);
  let step = steps.next();
  while (step.done !== true) step = steps.next();
  return step.value;
}

/** {@link outOfFold} one step per modality and fold, so that a caller can pause between them (refit). */
export function* outOfFoldSteps(
  labels: readonly string[],
  modalities: Readonly<Record<string, ModalityExamples>>,
  folds = defaultFolds,
): Generator<void, EvalCase[]> {
  const items = new Map<number, { label: number; scores: Record<string, number[]> }>();
  for (const { examples } of Object.values(modalities)) {
    for (const e of examples)
      if (!items.has(e.item)) items.set(e.item, { label: labels.indexOf(e.label), scores: {} });
  }
  const foldOf = new Map([...items.keys()].map((item, i) => [item, i % folds]));
  for (const [name, { head, temperature, examples }] of Object.entries(modalities)) {
    for (let fold = 0; fold < folds; fold++) {
      const training = examples.filter((e) => foldOf.get(e.item) !== fold);
      const held = examples.filter((e) => foldOf.get(e.item) === fold);
      if (training.length === 0 || held.length === 0) continue;
      yield;
      const scorer = fittedScorer(findHead(head), training, labels, temperature);
      for (const e of held) {
        const entry = items.get(e.item);
        if (entry) entry.scores[name] = scorer(e.embedding);
      }
    }
  }
  return [...items.values()].filter((c) => c.label >= 0);
}

/**
 * The most scores (cases × labels) one temperature is fitted on: a single number is well determined by a few
 * hundred cases, and its fit reads every score on each step (5,000 labels × 20,000 cases took minutes). Past it, an
 * even spread of the cases is used (all of them up to 20,000 cases of 100 labels).
 */
export const maxCalibrationScores = 2_000_000;

/** Every `step`-th sample, so that at most {@link maxCalibrationScores} scores remain. */
export function spread<T>(samples: readonly T[], labels: number): readonly T[] {
  const step = Math.ceil((samples.length * labels) / maxCalibrationScores);
  return step <= 1 ? samples : samples.filter((_, i) => i % step === 0);
}

export interface FittedFusion {
  /** Per modality, the calibration temperature (1 = none). */
  readonly temperatures: Record<string, number>;
  /** Absent when fewer than two modalities have cases: a lone modality is never fused, so never stacked. */
  readonly stacking?: StackingModel;
}

/** The cases with each modality's distribution calibrated by its temperature. */
export function calibrate(
  cases: readonly EvalCase[],
  temperatures: Readonly<Record<string, number>>,
): EvalCase[] {
  return cases.map((c) => ({
    label: c.label,
    scores: Object.fromEntries(
      Object.entries(c.scores).map(([m, scores]) => [m, applyTemperature(scores, temperatures[m] ?? 1)]),
    ),
  }));
}

/**
 * Temperatures per modality, then the stacking model on the calibrated held-out cases when there are two
 * modalities or more (its fit is most of a refit's time at thousands of labels).
 */
export function fitFusion(cases: readonly EvalCase[], labels: number): FittedFusion {
  const names = [...new Set(cases.flatMap((c) => Object.keys(c.scores)))];
  const temperatures = Object.fromEntries(
    names.map((name) => [
      name,
      fitTemperature(
        spread(
          cases.flatMap((c) => {
            const scores = c.scores[name];
            return scores === undefined ? [] : [{ label: c.label, scores }];
          }),
          labels,
        ),
      ),
    ]),
  );
  if (cases.length === 0) throw new RangeError('no cases to fit fusion on');
  if (names.length < 2) return { temperatures };
  const calibrated = calibrate(cases, temperatures);
  return {
    temperatures,
    stacking: fitStacking(
      calibrated.map((c) => ({ label: c.label, distributions: c.scores })),
      labels,
    ),
  };
}
