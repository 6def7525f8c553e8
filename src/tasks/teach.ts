/**
 * @module
 * Embedding labelled examples through the scoring stage (one backend call per model, all examples batched), for
 * teaching; `examples.ts` then folds them into the heads. All or nothing: if the backend cannot embed a modality,
 * nothing is stored, but a derived part that is not there (an image without text) is skipped for its example. An
 * input teaches every modality of the task that reads it (`image` teaches `image` and `image.text`). A modality
 * whose head learns nothing from examples (it reads a classification endpoint's own labels) refuses inputs for it
 * rather than dropping them silently.
 */
import { findHead } from '../heads/registry.ts';
import type { InputValue } from '../inputs/raw-input.ts';
import { UnknownNameError } from '../lookup-error.ts';
import type { Modalities } from '../modalities.ts';
import { ApiError } from '../problem.ts';
import { askModels, embeddingsOf, type InputAnswer, type StageServices } from '../scoring/stage.ts';
import { checkTaskInputs, readingsOf } from './check.ts';
import type { EmbeddedExample } from './examples.ts';
import type { TaskOutline } from './heads-wire.ts';

export interface Example {
  readonly label: string;
  readonly inputs: Readonly<Record<string, InputValue>>;
  /** Where the example's inputs sit in the request (`examples[3].inputs`). */
  readonly at: string;
}

/** Every example carries one of the task's labels. */
export function checkLabels(task: TaskOutline, examples: readonly Example[]): void {
  for (const example of examples)
    if (!task.labels.includes(example.label)) throw new UnknownNameError('label', example.label, task.labels);
}

function checkExamples(task: TaskOutline, modalities: Modalities, examples: readonly Example[]): void {
  for (const example of examples) {
    checkLabels(task, [example]);
    if (Object.keys(example.inputs).length === 0) {
      throw new ApiError(400, 'empty-example', `${example.at}: an example needs at least one input`);
    }
  }
  checkTaskInputs(task, modalities, examples);
  for (const example of examples) {
    for (const { modality, at } of readingsOf(task, modalities, example)) {
      const stored = task.modalities[modality];
      const head = stored && findHead(stored.head);
      const why = head?.refusesExamples?.({ at, modality, model: stored?.model ?? '', task: task.id });
      if (head !== undefined && why !== undefined)
        throw new ApiError(400, `${head.name}-takes-no-examples`, why);
    }
  }
}

/**
 * Every input of the examples through its adapter and the backend (one call per modality): the embeddings with
 * their example's index and label. All or nothing: a backend failure is thrown.
 */
export async function embedExamples(
  task: TaskOutline,
  examples: readonly Example[],
  services: StageServices,
): Promise<EmbeddedExample[]> {
  checkExamples(task, services.modalities, examples);
  const slots = examples.flatMap((example, index) =>
    readingsOf(task, services.modalities, example).map((reading) => ({
      ...reading,
      index,
      label: example.label,
    })),
  );
  const inputs = slots.map(({ modality, value, at }) => ({
    modality,
    value,
    at,
    ask: { model: task.modalities[modality]?.model ?? '', kind: 'embedding' as const },
  }));
  const answers = await askModels(inputs, services);
  // A derived part that is not there (an image without text) teaches nothing; the example's other parts do.
  const present = slots.flatMap((slot, i) =>
    answers[i]?.kind === 'absent' ? [] : [{ slot, answer: answers[i] as InputAnswer }],
  );
  const vectors = embeddingsOf(present.map(({ answer }) => answer));
  return present.map(({ slot }, i) => ({
    modality: slot.modality,
    index: slot.index,
    label: slot.label,
    embedding: vectors[i] as Float32Array,
  }));
}
