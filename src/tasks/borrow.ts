/**
 * @module
 * Which derived parts of a new task borrow another modality's head (`heads/task-heads.ts` then scores such a part
 * by that head while the part's own cannot score: no examples, no weights). A part declares the input it may
 * borrow from (`DerivedPart.borrows`: `image.text` → `text`); it does when the task has that modality, both heads
 * consume embeddings, and both models declare one embedding space — there the lender's examples, weights and
 * prompts mean the same for the part (USE-lite's: the words read in a photo land where the same words typed do).
 * Decided when the task is built, from the model catalog, and stored, so that scoring stays a pure function of the
 * stored task.
 */
import type { ModelCatalog } from '../backend/model-catalog.ts';
import { findHead } from '../heads/registry.ts';
import type { Modalities } from '../modalities.ts';
import type { TaskModality } from './schema.ts';

const embeds = (stored: TaskModality) => findHead(stored.head).consumes === 'embedding';

/** Whether `part` may be scored by `lender`'s head (see the module's notes). */
async function mayBorrow(part: TaskModality, lender: TaskModality, models: ModelCatalog): Promise<boolean> {
  if (!embeds(part) || !embeds(lender)) return false;
  const space = await models.spaceOf(part.model);
  return space !== undefined && (await models.spaceOf(lender.model)) === space;
}

/** The task's modalities, each derived part that may borrow its declared lender's head marked `borrows`. */
export async function withLenders(
  built: Readonly<Record<string, TaskModality>>,
  modalities: Modalities,
  models: ModelCatalog,
): Promise<Record<string, TaskModality>> {
  const marked = { ...built };
  for (const [name, part] of Object.entries(built)) {
    const lender = modalities.lenderOf(name);
    const lent = lender === undefined ? undefined : built[lender];
    if (lender !== undefined && lent !== undefined && (await mayBorrow(part, lent, models)))
      marked[name] = { ...part, borrows: lender };
  }
  return marked;
}
