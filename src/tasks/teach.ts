/**
 * @module
 * Teaching a task: labelled examples → adapters → backend (one call per modality, all examples batched) →
 * folded into the prototype heads. All or nothing: if the backend cannot embed a modality, nothing is stored.
 */
import { embedJobs } from '../backend/batch.ts';
import { BackendError } from '../backend/errors.ts';
import type { BackendClient } from '../backend/types.ts';
import type { InputValue } from '../inputs/raw-input.ts';
import { normalizeInputs } from '../inputs/normalize.ts';
import { UnknownNameError } from '../lookup-error.ts';
import type { Modalities } from '../modalities.ts';
import { ApiError } from '../problem.ts';
import type { Timer } from '../timer.ts';
import { checkTaskInputs } from './check.ts';
import { foldExamples } from './examples.ts';
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
}

/** The task with the examples folded in (not yet stored). */
export async function teach(
  task: Task,
  examples: readonly Example[],
  services: TeachServices,
): Promise<Task> {
  const { modalities, backend, time } = services;
  checkExamples(task, modalities, examples);
  const slots = examples.flatMap((example) =>
    Object.entries(example.inputs).map(([modality, value]) => ({
      modality,
      value,
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
  return time('heads', () =>
    foldExamples(
      task,
      slots.map((slot, i) => ({
        modality: slot.modality,
        label: slot.label,
        embedding: embedded[i] as Float32Array,
      })),
      new Date(),
    ),
  );
}
