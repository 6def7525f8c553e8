/**
 * @module
 * Embedding labelled examples: adapters → backend (one call per modality, all examples batched), for teaching
 * (then folded into the heads by `examples.ts`) and for evaluation. All or nothing: if the backend cannot embed a
 * modality, nothing is stored. A modality with a provider-label head learns nothing from examples (its model
 * answers its own labels), so inputs for it are refused rather than silently dropped.
 */
import { embedJobs } from '../scoring/stage.ts';
import { BackendError } from '../backend/errors.ts';
import type { BackendClient } from '../backend/types.ts';
import type { InputValue } from '../inputs/raw-input.ts';
import { normalizeInputs } from '../inputs/normalize.ts';
import { UnknownNameError } from '../lookup-error.ts';
import type { Modalities } from '../modalities.ts';
import { ApiError } from '../problem.ts';
import type { Timer } from '../timer.ts';
import { checkTaskInputs } from './check.ts';
import type { EmbeddedExample } from './examples.ts';
import type { Task } from './schema.ts';

export interface Example {
  readonly label: string;
  readonly inputs: Readonly<Record<string, InputValue>>;
  /** Where the example's inputs sit in the request (`examples[3].inputs`). */
  readonly at: string;
}

export interface TeachServices {
  readonly modalities: Modalities;
  readonly backend: BackendClient;
  readonly time: Timer;
}

function checkExamples(task: Task, modalities: Modalities, examples: readonly Example[]): void {
  for (const example of examples) {
    if (!task.labels.includes(example.label)) throw new UnknownNameError('label', example.label, task.labels);
    if (Object.keys(example.inputs).length === 0) {
      throw new ApiError(400, 'empty-example', `${example.at}: an example needs at least one input`);
    }
  }
  checkTaskInputs(task, modalities, examples);
  for (const example of examples) {
    const fixed = Object.keys(example.inputs).find((m) => task.modalities[m]?.head === 'provider-label');
    if (fixed !== undefined) {
      const model = task.modalities[fixed]?.model ?? '';
      const detail = `${example.at}.${fixed}: the ${fixed} modality of task ${task.id} uses the provider-label head (the model ${model} answers its own labels, mapped by the task's label_map), so it takes no examples; leave ${fixed} out`;
      throw new ApiError(400, 'provider-label-takes-no-examples', detail);
    }
  }
}

/**
 * Every input of the examples through its adapter and the backend (one call per modality): the embeddings with
 * their example's index and label. All or nothing: a backend failure is thrown.
 */
export async function embedExamples(
  task: Task,
  examples: readonly Example[],
  services: TeachServices,
): Promise<EmbeddedExample[]> {
  const { modalities, backend, time } = services;
  checkExamples(task, modalities, examples);
  const slots = examples.flatMap((example, index) =>
    Object.entries(example.inputs).map(([modality, value]) => ({
      modality,
      value,
      index,
      label: example.label,
      at: `${example.at}.${modality}`,
    })),
  );
  const canonical = await time('normalize', () => normalizeInputs(modalities, slots));
  const jobs = slots.map((slot, i) => ({
    model: task.modalities[slot.modality]?.model ?? '',
    input: canonical[i] as (typeof canonical)[number],
  }));
  const embedded = await time('backend', () => embedJobs(backend, jobs));
  const failed = embedded.find((result) => result instanceof BackendError);
  if (failed !== undefined) throw failed;
  return slots.map((slot, i) => ({
    modality: slot.modality,
    index: slot.index,
    label: slot.label,
    embedding: embedded[i] as Float32Array,
  }));
}
