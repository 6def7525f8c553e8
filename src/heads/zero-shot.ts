/**
 * @module
 * The zero-shot head, for a model pair that shares one embedding space (CLIP for images, CLAP for audio): each
 * label is represented by its prompt ("a photo of a {label}") embedded by the text side, and an item embedded by
 * the other side is scored `softmax(cos(e, t_y) / T)`. No examples needed. Which models pair with which text model
 * is declared in `shared-spaces.ts`; tasks embed the prompts when they are created (`tasks/zero-shot.ts`).
 */
import { softmax } from '../distribution.ts';
import { cosine, decodeFloat32, encodeFloat32 } from '../vectors.ts';
import { DimensionMismatchError } from './prototype.ts';

export const defaultPromptTemplate = 'a photo of a {label}';

/** Stored in the task: per label, the embedding of its prompt (base64 float32) by `textModel`. */
export interface ZeroShotState {
  readonly textModel: string;
  readonly embeddings: Readonly<Record<string, string>>;
}

/** The prompt for a label: the template with `{label}` replaced. */
export function promptFor(label: string, template = defaultPromptTemplate): string {
  return template.replaceAll('{label}', label);
}

export function zeroShotState(
  textModel: string,
  labels: readonly string[],
  embeddings: readonly ArrayLike<number>[],
): ZeroShotState {
  if (embeddings.length !== labels.length) throw new RangeError('one prompt embedding per label');
  return {
    textModel,
    embeddings: Object.fromEntries(labels.map((label, i) => [label, encodeFloat32(embeddings[i] ?? [])])),
  };
}

/** Scores embeddings of the other side of the shared space against the label prompts. */
export function zeroShotScorer(
  state: ZeroShotState,
  labels: readonly string[],
  temperature: number,
): (embedding: ArrayLike<number>) => number[] {
  if (!(temperature > 0)) throw new RangeError('temperature must be > 0');
  const prompts = labels.map((label) => {
    const prompt = Object.hasOwn(state.embeddings, label) ? state.embeddings[label] : undefined;
    if (prompt === undefined)
      throw new RangeError(`no prompt embedding for the label ${JSON.stringify(label)}`);
    return decodeFloat32(prompt);
  });
  const dimension = prompts[0]?.length ?? 0;
  return (embedding) => {
    if (embedding.length !== dimension) throw new DimensionMismatchError(dimension, embedding.length);
    return softmax(prompts.map((prompt) => cosine(embedding, prompt) / temperature));
  };
}
