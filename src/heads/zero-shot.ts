/**
 * @module
 * The zero-shot head, for a model pair that shares one embedding space (CLIP for images, CLAP for audio): each
 * label is represented by its prompt ("a photo of a {label}") embedded by the text side, and an item embedded by
 * the other side is scored `softmax(cos(e, t_y) / T)`. No examples needed. Which models pair with which text model
 * is the model catalog's to say (`backend/model-catalog.ts`); the head's prompts are embedded before its task is
 * stored (its `prepare`, run by `tasks/prepare-heads.ts`).
 */
import type { ModelCatalog } from '../backend/model-catalog.ts';
import { softmax } from '../distribution.ts';
import { UnknownNameError } from '../lookup-error.ts';
import { ApiError } from '../problem.ts';
import { cosine, decodeFloat32, encodeFloat32 } from '../vectors.ts';
import { defineHead, embeddingScorer } from './head.ts';
import { DimensionMismatchError } from './prototype.ts';

export const defaultPromptTemplate = 'a photo of a {label}';

/** Stored in the task: per label, the embedding of its prompt (base64 float32) by `textModel`. */
export interface ZeroShotState {
  readonly textModel: string;
  readonly embeddings: Readonly<Record<string, string>>;
}

/** The head's fields: the state, and per label the text its prompt is (a given prompt, else the label). */
export interface ZeroShotFields extends ZeroShotState {
  readonly texts: Readonly<Record<string, string>>;
}

/** The modality whose adapter turns prompt texts into canonical input for the text model. */
const textModality = 'text';

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

/** The text model sharing `model`'s space, or a 400 problem naming the models that have one. */
function textModelSharing(model: string, at: string, models: ModelCatalog): string {
  const text = models.describe(model).textModel;
  if (text !== undefined) return text;
  const known = models.sharingSpace;
  const detail = `${at}: the zero-shot head needs a model that shares its embedding space with a text model, and ${model} has none; zero-shot works with ${known.join(', ')}`;
  throw new ApiError(400, 'no-shared-space', detail, { extensions: { known } });
}

export const zeroShotHead = defineHead({
  name: 'zero-shot',
  description:
    "Label prompts embedded by a text model that shares the model's space: softmax(cos(e, t_y) / T).",
  consumes: 'embedding',
  options: { names: ['prompts'], title: 'prompts' },
  init({ at, model, labels, given, models }) {
    const textModel = textModelSharing(model, at, models);
    const prompts = given.prompts ?? {};
    for (const label of Object.keys(prompts)) {
      if (!labels.includes(label)) throw new UnknownNameError('label', label, labels);
    }
    const texts = Object.fromEntries(labels.map((label) => [label, prompts[label] ?? label]));
    return { zeroShot: { textModel, texts, embeddings: {} } };
  },
  prepare(fields, labels, at) {
    const state = fields.zeroShot;
    if (state === undefined) return undefined;
    return {
      inputs: labels.map((label) => ({
        modality: textModality,
        model: state.textModel,
        value: state.texts[label] ?? label,
        at: `${at}.prompts.${label}`,
      })),
      complete: (vectors) => ({ zeroShot: { ...state, ...zeroShotState(state.textModel, labels, vectors) } }),
    };
  },
  scorer(fields, labels, modality) {
    if (fields.zeroShot === undefined) {
      const detail = `the zero-shot ${modality} head has no label prompts: replace the task`;
      return { reason: 'not-fitted', detail };
    }
    return embeddingScorer(zeroShotScorer(fields.zeroShot, labels, fields.temperature));
  },
});
