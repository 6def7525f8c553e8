/**
 * @module
 * A scorer for a modality from its labelled example embeddings, whatever its head: the one place that knows how
 * each fittable head is built, used by cross-validation (refit, evaluate) and the fusion benchmark.
 */
import { fitLinear, linearScorer } from './linear.ts';
import { addExamples, emptyPrototype, prototypeScorer, type LabelledEmbedding } from './prototype.ts';

/** The heads that learn from examples (zero-shot learns from label prompts instead). */
export const fittableHeads = ['prototype', 'linear'] as const;

export type FittableHead = (typeof fittableHeads)[number];

export type Scorer = (embedding: ArrayLike<number>) => number[];

/** Builds the head from the examples; throws a RangeError when there are none. */
export function fitScorer(
  head: FittableHead,
  examples: readonly LabelledEmbedding[],
  labels: readonly string[],
  temperature: number,
): Scorer {
  if (head === 'linear') return linearScorer(fitLinear(examples, labels), labels);
  return prototypeScorer(addExamples(emptyPrototype(), examples), labels, temperature);
}
