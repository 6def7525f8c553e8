/**
 * @module
 * Models whose embeddings share one space with a text model: the pairs the zero-shot head can use (label prompts
 * embedded by the text model, items by the paired model, compared by cosine). `html-hash-256` is the very graph of
 * `text-hash-256` (same hashed n-gram table, same seed: see `gpu-backend/model-builder/html-model.ts`), fed a page's
 * visible text, so both pair with `text-hash-256`. A CLIP- or CLAP-like pair served by the backend is one more
 * line here.
 */
import { ApiError } from '../problem.ts';

/** Model → the text model whose embeddings share its space. */
export const sharedSpaces = {
  'text-hash-256': 'text-hash-256',
  'html-hash-256': 'text-hash-256',
} as const satisfies Readonly<Record<string, string>>;

export const zeroShotModels = Object.keys(sharedSpaces);

/** The text model sharing `model`'s space, or a 400 problem naming the models that have one. */
export function textModelSharing(model: string, at: string): string {
  const text = Object.hasOwn(sharedSpaces, model)
    ? sharedSpaces[model as keyof typeof sharedSpaces]
    : undefined;
  if (text !== undefined) return text;
  const detail = `${at}: the zero-shot head needs a model that shares its embedding space with a text model, and ${model} has none; zero-shot works with ${zeroShotModels.join(', ')}`;
  throw new ApiError(400, 'no-shared-space', detail, { extensions: { known: zeroShotModels } });
}
