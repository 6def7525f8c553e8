/**
 * @module
 * What the edge knows of a model without calling it, for building tasks: what it answers (a provider's
 * classification endpoint in `MODELS` gives labels; every other model embeds), the modality a provider model
 * serves, and the text model whose embedding space it shares (what the zero-shot head needs).
 *
 * Shared spaces are declared here for the backend's default models: `html-hash-256` is the very graph of
 * `text-hash-256` (same hashed n-gram table, same seed: see `gpu-backend/model-builder/html-model.ts`), fed a page's
 * visible text, so both pair with `text-hash-256`. A CLIP- or CLAP-like pair served by the backend is one more
 * line here — or a space its model declares in its own metadata, read into {@link ModelDescription.textModel}.
 */
import type { ModelConfig, ProviderTask } from './provider-models.ts';
import type { AnswerKind } from './types.ts';

/** What a head may ask of its model before the task is stored. */
export interface ModelDescription {
  readonly gives: AnswerKind;
  /** The modality a provider model serves; undefined for the backend's models (checked when they are called). */
  readonly modality?: string;
  readonly task?: ProviderTask;
  /** The text model whose embeddings share this model's space, if any. */
  readonly textModel?: string;
}

export interface ModelCatalog {
  describe(model: string): ModelDescription;
  /** Every model known to share a space with a text model, for refusals that say which would do. */
  readonly sharingSpace: readonly string[];
}

/** Model → the text model whose embeddings share its space. */
const declaredSpaces: Readonly<Record<string, string>> = {
  'text-hash-256': 'text-hash-256',
  'html-hash-256': 'text-hash-256',
};

/** The catalog over the provider models of `MODELS` (see `provider-models.ts`); every other model is the backend's. */
export function modelCatalog(providers: ReadonlyMap<string, ModelConfig>): ModelCatalog {
  const spaceOf = (model: string) =>
    Object.hasOwn(declaredSpaces, model) ? { textModel: declaredSpaces[model] } : {};
  return {
    sharingSpace: Object.keys(declaredSpaces),
    describe(model) {
      const config = providers.get(model);
      if (config === undefined) return { gives: 'embedding', ...spaceOf(model) };
      const gives = config.task === 'feature-extraction' ? 'embedding' : 'labels';
      return { gives, modality: config.modality, task: config.task, ...spaceOf(model) };
    },
  };
}
