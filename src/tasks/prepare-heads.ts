/**
 * @module
 * What a new task's heads need embedded before it is stored (create and replace; refit keeps it, as it depends
 * only on the labels and options, which only a replace changes): each head's `prepare` names its inputs (the
 * zero-shot head: its label prompts, for its paired text model), one scoring stage embeds them all (one backend
 * call per model), and each head completes its fields. All or nothing: if the backend cannot embed them, the task
 * is not stored.
 */
import { findHead } from '../heads/registry.ts';
import { askModels, embeddingsOf, type StageServices } from '../scoring/stage.ts';
import type { Task } from './schema.ts';

/** The task with every head's preparation done. */
export async function prepareHeads(task: Task, services: StageServices): Promise<Task> {
  const preparations = Object.entries(task.modalities).flatMap(([name, stored]) => {
    const preparation = findHead(stored.head).prepare?.(stored, task.labels, `modalities.${name}`);
    return preparation === undefined ? [] : [{ name, preparation }];
  });
  if (preparations.length === 0) return task;
  const inputs = preparations.flatMap(({ preparation }) =>
    preparation.inputs.map(({ model, ...input }) => ({
      ...input,
      ask: { model, kind: 'embedding' as const },
    })),
  );
  const vectors = embeddingsOf(await askModels(inputs, services));
  const modalities = { ...task.modalities };
  let offset = 0;
  for (const { name, preparation } of preparations) {
    const mine = vectors.slice(offset, offset + preparation.inputs.length);
    offset += preparation.inputs.length;
    const stored = modalities[name];
    if (stored) modalities[name] = { ...stored, ...preparation.complete(mine) };
  }
  return { ...task, modalities };
}
