/**
 * @module
 * Embedding a task's zero-shot label prompts, before the task is stored (create and replace; refit keeps them, as
 * they depend only on the labels and prompts, which only a replace changes): each zero-shot modality's label texts
 * go through the text adapter and to its paired text model, one backend call per text model. All or nothing: if
 * the backend cannot embed them, the task is not stored.
 */
import { embedJobs } from '../scoring/stage.ts';
import { BackendError } from '../backend/errors.ts';
import { normalizeInputs } from '../inputs/normalize.ts';
import { encodeFloat32 } from '../vectors.ts';
import type { Task } from './schema.ts';
import type { TeachServices } from './teach.ts';

/** The modality whose adapter turns prompt texts into canonical input for a text model. */
const textModality = 'text';

/** The task with every zero-shot head's prompt embeddings filled in. */
export async function embedZeroShotPrompts(task: Task, services: TeachServices): Promise<Task> {
  const heads = Object.entries(task.modalities).flatMap(([name, head]) =>
    head.head === 'zero-shot' && head.zeroShot ? [{ name, state: head.zeroShot }] : [],
  );
  if (heads.length === 0) return task;
  const slots = heads.flatMap(({ name, state }) =>
    task.labels.map((label) => ({
      name,
      label,
      model: state.textModel,
      request: {
        modality: textModality,
        value: state.texts[label] ?? label,
        at: `modalities.${name}.prompts.${label}`,
      },
    })),
  );
  const canonical = await services.time('normalize', () =>
    normalizeInputs(
      services.modalities,
      slots.map((slot) => slot.request),
    ),
  );
  const jobs = slots.map((slot, i) => ({
    model: slot.model,
    input: canonical[i] as (typeof canonical)[number],
  }));
  const embedded = await services.time('backend', () => embedJobs(services.backend, jobs));
  const failed = embedded.find((result) => result instanceof BackendError);
  if (failed !== undefined) throw failed;
  const modalities = { ...task.modalities };
  for (const { name, state } of heads) {
    const embeddings = Object.fromEntries(
      slots.flatMap((slot, i) =>
        slot.name === name ? [[slot.label, encodeFloat32(embedded[i] as Float32Array)]] : [],
      ),
    );
    const head = modalities[name];
    if (head) modalities[name] = { ...head, zeroShot: { ...state, embeddings } };
  }
  return { ...task, modalities };
}
