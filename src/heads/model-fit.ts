/**
 * @module
 * Whether a task modality's head fits its model. The backend's models and the providers' feature-extraction
 * models give embeddings, which the `prototype` and `linear` heads learn from; a provider's classification
 * endpoint gives its own labels and scores, which only the `provider-label` head can use (and which is its default
 * head). The `zero-shot` head needs a model that shares its space with a text model (`heads/shared-spaces.ts`).
 * A provider model also serves one modality. Mismatches are the client's 400, said in words.
 */
import type { ModelKind } from '../backend/provider-models.ts';
import { defaultHead, type HeadName } from './registry.ts';
import { textModelSharing } from '../backend/model-catalog.ts';
import { UnknownNameError } from '../lookup-error.ts';
import { ApiError } from '../problem.ts';

/** What a create request may say of one modality that matters here. */
export interface GivenHead {
  readonly head?: string | undefined;
  readonly linear?: unknown;
  readonly label_map?: Readonly<Record<string, string>> | undefined;
  readonly unmapped?: string | undefined;
  readonly prompts?: Readonly<Record<string, string>> | undefined;
}

/** The head a modality gets when the request names none: the only one a classification endpoint fits. */
export function defaultHeadFor(kind: ModelKind, given: GivenHead): string {
  if (kind.kind === 'classification') return 'provider-label';
  return given.linear ? 'linear' : defaultHead;
}

function misfit(detail: string): ApiError {
  return new ApiError(400, 'head-does-not-fit-model', detail);
}

/** Refuses a head, model and options that do not go together (see the module's notes). */
export function checkModelFit(
  modality: string,
  model: string,
  kind: ModelKind,
  head: HeadName,
  given: GivenHead,
): void {
  const at = `modalities.${modality}`;
  if (kind.modality !== undefined && kind.modality !== modality) {
    const detail = `${at}.model: ${model} (${kind.task ?? 'a provider model'}) serves the ${kind.modality} modality, not ${modality}`;
    throw new ApiError(400, 'model-modality-mismatch', detail);
  }
  if (kind.kind === 'classification' && head !== 'provider-label')
    throw misfit(
      `${at}: the model ${model} is a ${kind.task ?? 'classification'} endpoint that answers its own labels, not embeddings, so the ${head} head cannot use it; use the provider-label head (its default)`,
    );
  if (kind.kind === 'embedding' && head === 'provider-label')
    throw misfit(
      `${at}: the provider-label head needs a classification endpoint (a MODELS entry with task image-classification or audio-classification), and ${model} gives embeddings; use prototype or linear`,
    );
  if (head === 'provider-label' && given.linear !== undefined)
    throw misfit(`${at}: linear weights belong to the linear head, not provider-label`);
  if (head !== 'provider-label' && (given.label_map !== undefined || given.unmapped !== undefined))
    throw misfit(`${at}: label_map and unmapped belong to the provider-label head, not ${head}`);
  if (head !== 'zero-shot' && given.prompts !== undefined)
    throw misfit(`${at}: prompts belong to the zero-shot head, not ${head}`);
  if (head === 'zero-shot') textModelSharing(model, at);
}

/** Every target of a label map must be one of the task's labels. */
export function checkLabelMap(
  labelMap: Readonly<Record<string, string>> | undefined,
  labels: readonly string[],
): void {
  for (const target of Object.values(labelMap ?? {}))
    if (!labels.includes(target)) throw new UnknownNameError('label', target, labels);
}
