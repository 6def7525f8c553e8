/**
 * @module
 * Checks of inputs against a task, shared by classify, examples and evaluation: every input key names a registered
 * input (else the registered ones are listed) that one of the task's modalities reads (else the task's are listed),
 * and the modalities each input feeds: the input itself and its derived parts the task has (`image`, `image.text`).
 */
import { UnknownNameError } from '../lookup-error.ts';
import type { Modalities } from '../modalities.ts';
import { ApiError } from '../problem.ts';
import type { TaskOutline } from './heads-wire.ts';

export interface LocatedInputs {
  readonly inputs: Readonly<Record<string, unknown>>;
  /** Where the inputs sit in the request, e.g. `items[2].inputs`. */
  readonly at: string;
}

/** The task's modalities that read `input`, in the task's order. */
export function readersOf(
  task: Pick<TaskOutline, 'modalities'>,
  modalities: Modalities,
  input: string,
): string[] {
  return Object.keys(task.modalities).filter(
    (name) => modalities.has(name) && modalities.inputOf(name) === input,
  );
}

/** One input of an item fed to one of the task's modalities. */
export interface Reading<V> {
  readonly modality: string;
  readonly value: V;
  /** Where the input sits (`inputs.image`), shared by every modality it feeds. */
  readonly at: string;
}

/** Each input of an item, once per task modality that reads it (the item already passed {@link checkTaskInputs}). */
export function readingsOf<V>(
  task: Pick<TaskOutline, 'modalities'>,
  modalities: Modalities,
  item: { readonly inputs: Readonly<Record<string, V>>; readonly at: string },
): Reading<V>[] {
  return Object.entries(item.inputs).flatMap(([input, value]) =>
    readersOf(task, modalities, input).map((modality) => ({ modality, value, at: `${item.at}.${input}` })),
  );
}

export function checkTaskInputs(
  task: Pick<TaskOutline, 'id' | 'modalities'>,
  modalities: Modalities,
  items: readonly LocatedInputs[],
): void {
  const taskModalities = Object.keys(task.modalities);
  for (const item of items) {
    for (const name of Object.keys(item.inputs)) {
      if (!modalities.names.includes(name)) throw new UnknownNameError('modality', name, modalities.names);
      if (readersOf(task, modalities, name).length === 0) {
        const detail = `${item.at}.${name}: the task ${task.id} has no ${name} modality; it has: ${taskModalities.join(', ')}`;
        throw new ApiError(400, 'modality-not-in-task', detail, { extensions: { known: taskModalities } });
      }
    }
  }
}
