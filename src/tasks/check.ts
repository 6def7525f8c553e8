/**
 * @module
 * Checks of inputs against a task, shared by classify and examples: every input names a registered modality
 * (else the registered ones are listed) that the task has (else the task's are listed).
 */
import type { Modalities } from '../modalities.ts';
import { ApiError } from '../problem.ts';
import type { TaskOutline } from './heads-wire.ts';

export interface LocatedInputs {
  readonly inputs: Readonly<Record<string, unknown>>;
  /** Where the inputs sit in the request, e.g. `items[2].inputs`. */
  readonly at: string;
}

export function checkTaskInputs(
  task: Pick<TaskOutline, 'id' | 'modalities'>,
  modalities: Modalities,
  items: readonly LocatedInputs[],
): void {
  const taskModalities = Object.keys(task.modalities);
  for (const item of items) {
    for (const name of Object.keys(item.inputs)) {
      modalities.get(name);
      if (!taskModalities.includes(name)) {
        const detail = `${item.at}.${name}: the task ${task.id} has no ${name} modality; it has: ${taskModalities.join(', ')}`;
        throw new ApiError(400, 'modality-not-in-task', detail, { extensions: { known: taskModalities } });
      }
    }
  }
}
