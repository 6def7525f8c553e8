/**
 * @module
 * Scoring labelled inputs of provider-label modalities, for evaluation: they are not embedded (their model is a
 * classification endpoint) but sent to the endpoint, one call per model, and its answers mapped onto the task's
 * labels by the head. {@link withoutProviderInputs} leaves the rest of a labelled set to `embedExamples`. All or
 * nothing, as embedding is: an endpoint that fails fails the evaluation (503).
 */
import { labelJobs } from '../scoring/stage.ts';
import { BackendError } from '../backend/errors.ts';
import { isLabelScorer, scorersOf } from '../heads/task-heads.ts';
import { normalizeInputs } from '../inputs/normalize.ts';
import { UnknownNameError } from '../lookup-error.ts';
import { checkTaskInputs } from './check.ts';
import type { Task } from './schema.ts';
import type { Example, TeachServices } from './teach.ts';

export interface AskedScores {
  /** The example's position in the labelled set. */
  readonly index: number;
  readonly modality: string;
  readonly scores: number[];
}

const asksProvider = (task: Task, modality: string) => task.modalities[modality]?.head === 'provider-label';

/** The examples without their provider-label inputs, those left with none dropped; `indices` maps back. */
export function withoutProviderInputs(task: Task, examples: readonly Example[]) {
  const kept = examples.flatMap((example, index) => {
    const inputs = Object.fromEntries(Object.entries(example.inputs).filter(([m]) => !asksProvider(task, m)));
    return Object.keys(inputs).length === 0 ? [] : [{ example: { ...example, inputs }, index }];
  });
  return { examples: kept.map((k) => k.example), indices: kept.map((k) => k.index) };
}

/** Each provider-label input of the examples, scored over the task's labels. */
export async function askProvider(
  task: Task,
  examples: readonly Example[],
  { modalities, backend, time }: TeachServices,
): Promise<AskedScores[]> {
  for (const example of examples)
    if (!task.labels.includes(example.label)) throw new UnknownNameError('label', example.label, task.labels);
  checkTaskInputs(task, modalities, examples);
  const slots = examples.flatMap((example, index) =>
    Object.entries(example.inputs)
      .filter(([modality]) => asksProvider(task, modality))
      .map(([modality, value]) => ({ index, modality, value, at: `${example.at}.${modality}` })),
  );
  if (slots.length === 0) return [];
  const canonical = await time('normalize', () => normalizeInputs(modalities, slots));
  const jobs = slots.map((slot, i) => ({
    model: task.modalities[slot.modality]?.model ?? '',
    input: canonical[i] as (typeof canonical)[number],
  }));
  const answers = await time('backend', () => labelJobs(backend, jobs));
  const scorers = scorersOf(task);
  return slots.map((slot, i) => {
    const answer = answers[i];
    const scorer = scorers.get(slot.modality);
    if (answer instanceof BackendError) throw answer;
    if (answer === undefined || !isLabelScorer(scorer))
      throw new BackendError('bad-response', `no answer for ${slot.at}`);
    return { index: slot.index, modality: slot.modality, scores: scorer.fromLabels(answer) };
  });
}
