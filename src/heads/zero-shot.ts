/**
 * @module
 * The zero-shot head, for a model that shares one embedding space with a text model (a text model itself; USE-lite's
 * html twin; ConSE images; CLIP or CLAP pairs): each label is represented by the mean direction of its prompts
 * embedded by the text model, and an item embedded by its own model is scored `softmax(cos(e, t_y) / T)`. No
 * examples needed. A label's prompts are the texts the request gives for it (`prompts`), else the label put into
 * each template (`templates`, averaged: "a photo of a {label}", "a picture of a {label}"), else into its modality's
 * default: "a photo of a {label}" for images, the bare label elsewhere (the better of the two on our measurements:
 * bench/README.md). Which text model shares a model's space is the model catalog's to say, from what the models
 * declare (`backend/model-catalog.ts`); the prompts are embedded before the task is stored (its `prepare`, run by
 * `tasks/prepare-heads.ts`).
 */
import type { ModelCatalog } from '../backend/model-catalog.ts';
import { UnknownNameError } from '../lookup-error.ts';
import { ApiError } from '../problem.ts';
import {
  decodeFloat32,
  encodeFloat32,
  l2Normalize,
  meanDirection,
  norm,
  type StoredVector,
} from '../vectors.ts';
import { defineHead, softmaxScorer, type GivenOptions, type Scorer } from './head.ts';
import { RowMatrix } from './kernel/row-matrix.ts';
import { DimensionMismatchError } from './prototype.ts';

/** Where a template puts the label. */
export const labelSlot = '{label}';

/** The templates of a modality whose request gives none; other modalities use the bare label. */
export const defaultTemplates: Readonly<Record<string, readonly string[]>> = {
  image: ['a photo of a {label}'],
};

const bareLabel = [labelSlot];

/** The most prompt texts one head embeds when its task is created (labels × templates, or the prompts given). */
export const maxPromptTexts = 4096;

/** Stored in the task: per label, the mean direction of its prompts' embeddings (base64 float32) by `textModel`. */
export interface ZeroShotState<V extends StoredVector = string> {
  readonly textModel: string;
  readonly embeddings: Readonly<Record<string, V>>;
}

/** The head's fields: the state, and per label the texts embedded for it. */
export interface ZeroShotFields<V extends StoredVector = string> extends ZeroShotState<V> {
  readonly texts: Readonly<Record<string, string[]>>;
}

/** The modality whose adapter turns prompt texts into canonical input for the text model. */
const textModality = 'text';

/** The prompt for a label: the template with `{label}` replaced. */
export function promptFor(label: string, template: string): string {
  return template.replaceAll(labelSlot, label);
}

/** Each label's texts: its given prompts, else the templates (given, else the modality's default) filled in. */
export function promptTexts(
  labels: readonly string[],
  modality: string,
  given: Pick<GivenOptions, 'prompts' | 'templates'>,
): Record<string, string[]> {
  const templates = given.templates ?? defaultTemplates[modality] ?? bareLabel;
  const prompts = given.prompts ?? {};
  return Object.fromEntries(
    labels.map((label) => {
      const own = Object.hasOwn(prompts, label) ? prompts[label] : undefined;
      const texts =
        own === undefined ? templates.map((template) => promptFor(label, template)) : [own].flat();
      return [label, texts];
    }),
  );
}

/** One vector per label: the mean direction of that label's prompt embeddings. */
export function zeroShotState(
  textModel: string,
  labels: readonly string[],
  embeddings: readonly (readonly ArrayLike<number>[])[],
): ZeroShotState {
  if (embeddings.length !== labels.length || embeddings.some((vectors) => vectors.length === 0))
    throw new RangeError('one or more prompt embeddings per label');
  return {
    textModel,
    embeddings: Object.fromEntries(
      labels.map((label, i) => [label, encodeFloat32(meanDirection(embeddings[i] ?? []))]),
    ),
  };
}

/** Scores embeddings of the other side of the shared space against the label prompts. */
export function zeroShotScorer(
  state: ZeroShotState<StoredVector>,
  labels: readonly string[],
  temperature: number,
): Scorer<'embedding'> {
  if (!(temperature > 0)) throw new RangeError('temperature must be > 0');
  const vectors = labels.map((label) => {
    const prompt = Object.hasOwn(state.embeddings, label) ? state.embeddings[label] : undefined;
    if (prompt === undefined)
      throw new RangeError(`no prompt embedding for the label ${JSON.stringify(label)}`);
    return decodeFloat32(prompt);
  });
  const dimension = vectors[0]?.length ?? 0;
  // Unit prompt rows (a zero one stays zero), so that a row times the unit query is their cosine.
  const prompts = new RowMatrix(labels.length, dimension);
  vectors.forEach((vector, y) => {
    if (vector.length !== dimension) throw new DimensionMismatchError(dimension, vector.length);
    prompts.setRow(y, vector, 1 / (norm(vector) || 1));
  });
  return softmaxScorer((embedding) => {
    if (embedding.length !== dimension) throw new DimensionMismatchError(dimension, embedding.length);
    return prompts.times(l2Normalize(embedding));
  }, 1 / temperature);
}

/** The text model sharing `model`'s space, or a 400 problem naming the models that have one. */
async function textModelSharing(model: string, at: string, models: ModelCatalog): Promise<string> {
  const text = await models.textModelSharing(model);
  if (text !== undefined) return text;
  const known = await models.sharingSpace();
  const detail = `${at}: the zero-shot head needs a model that shares its embedding space with a text model, and ${model} has none; zero-shot works with ${known.join(', ')}`;
  throw new ApiError(400, 'no-shared-space', detail, { extensions: { known } });
}

function checkPromptCount(at: string, texts: Readonly<Record<string, string[]>>): void {
  const count = Object.values(texts).reduce((sum, list) => sum + list.length, 0);
  if (count > maxPromptTexts) {
    const detail = `${at}: ${count} prompt texts (labels × templates) to embed; at most ${maxPromptTexts}`;
    throw new ApiError(400, 'too-many-prompts', detail, { extensions: { limit: maxPromptTexts } });
  }
}

export const zeroShotHead = defineHead({
  name: 'zero-shot',
  description:
    "Label prompts embedded by a text model that shares the model's space: softmax(cos(e, t_y) / T).",
  consumes: 'embedding',
  options: { names: ['prompts', 'templates'], title: 'prompts and templates' },
  async init({ at, modality, model, labels, given, models }) {
    for (const label of Object.keys(given.prompts ?? {})) {
      if (!labels.includes(label)) throw new UnknownNameError('label', label, labels);
    }
    const texts = promptTexts(labels, modality, given);
    checkPromptCount(at, texts);
    const textModel = await textModelSharing(model, at, models);
    return { zeroShot: { textModel, texts, embeddings: {} } };
  },
  prepare(fields, labels, at) {
    const state = fields.zeroShot;
    if (state === undefined) return undefined;
    const textsOf = (label: string) => state.texts[label] ?? [label];
    return {
      inputs: labels.flatMap((label) =>
        textsOf(label).map((value, i) => ({
          modality: textModality,
          model: state.textModel,
          value,
          at: `${at}.prompts.${label}${textsOf(label).length > 1 ? `[${i}]` : ''}`,
        })),
      ),
      complete(vectors) {
        let offset = 0;
        const perLabel = labels.map((label) => vectors.slice(offset, (offset += textsOf(label).length)));
        return { zeroShot: { ...state, ...zeroShotState(state.textModel, labels, perLabel) } };
      },
    };
  },
  scorer(fields, labels, modality) {
    if (fields.zeroShot === undefined) {
      const detail = `the zero-shot ${modality} head has no label prompts: replace the task`;
      return { reason: 'not-fitted', detail };
    }
    return zeroShotScorer(fields.zeroShot, labels, fields.temperature);
  },
});
