/**
 * @module
 * What the edge knows of a model for building tasks and fusing features. Without calling anything: what it
 * answers (a provider's classification endpoint in `MODELS` gives labels; every other model embeds) and the
 * modality a provider model serves. From the models' own metadata: the embedding space a model declares (the
 * backend's `embedding_space` parameter, e.g. `use-lite` for USE-lite, its html twin and the ConSE image model),
 * and so the text model whose embeddings share a model's space — what the zero-shot head embeds its prompts with.
 *
 * A text model shares its own space whatever it declares. Any other model pairs with a text model declaring the
 * same space: the one named like the space when it is served, else the first by name. So a CLIP- or CLAP-like
 * pair added to the repository needs no edge code: both halves declare one space.
 */
import type { Modalities } from '../modalities.ts';
import type { BackendModels } from './backend-models.ts';
import type { ModelConfig, ProviderTask } from './provider-models.ts';
import type { AnswerKind, Backend, ModelInfo } from './types.ts';

/** What a head may ask of its model before the task is stored, known without calling it. */
export interface ModelDescription {
  readonly gives: AnswerKind;
  /** The modality a provider model serves; undefined for the backend's models (checked when they are called). */
  readonly modality?: string;
  readonly task?: ProviderTask;
}

export interface ModelCatalog {
  describe(model: string): ModelDescription;
  /**
   * The modality a model is known to serve without asking the backend: a provider model's (`MODELS`), what
   * `BACKEND_MODELS` says, or the input or part whose default model it is; undefined otherwise. Lets a refusal of
   * the client's bytes come before a backend that is down (the metadata, when it answers, still decides).
   */
  modalityOf(model: string): string | undefined;
  /** The embedding space the model declares, if any (a backend error when it cannot be asked). */
  spaceOf(model: string): Promise<string | undefined>;
  /** The text model whose embeddings share the model's space; undefined when none does. */
  textModelSharing(model: string): Promise<string | undefined>;
  /** Every served model that shares a space with a text model, for refusals that say which would do. */
  sharingSpace(): Promise<string[]>;
}

const spaceOfInfo = (info: ModelInfo) => (info.kind === 'embedding' ? info.embeddingSpace : undefined);

const isText = (info: ModelInfo) => info.kind === 'embedding' && info.modality === 'text';

/** The text model of `space` among the served models (see the module's notes). */
function textModelIn(space: string, served: readonly ModelInfo[]): string | undefined {
  const texts = served.filter((info) => isText(info) && spaceOfInfo(info) === space).map((info) => info.id);
  return texts.includes(space) ? space : texts.sort()[0];
}

/** What the edge's configuration says of models' modalities (see {@link ModelCatalog.modalityOf}). */
export interface KnownModalities {
  readonly configured: BackendModels;
  readonly modalities: Pick<Modalities, 'names' | 'parts' | 'get'>;
}

function configuredModality(model: string, known: KnownModalities): string | undefined {
  const stated = known.configured.get(model)?.modality;
  if (typeof stated === 'string') return stated;
  // Parts first: a video's default model is its frames part's, and the backend names that part its modality.
  const { names, parts, get } = known.modalities;
  return [...parts, ...names].find((name) => get(name).defaultModel === model);
}

/** The catalog over the provider models of `MODELS` (see `provider-models.ts`) and what `backend` serves. */
export function modelCatalog(
  providers: ReadonlyMap<string, ModelConfig>,
  backend: Pick<Backend, 'model' | 'models'>,
  known?: KnownModalities,
): ModelCatalog {
  return {
    modalityOf(model) {
      return providers.get(model)?.modality ?? (known && configuredModality(model, known));
    },
    describe(model) {
      const config = providers.get(model);
      if (config === undefined) return { gives: 'embedding' };
      const gives = config.task === 'feature-extraction' ? 'embedding' : 'labels';
      return { gives, modality: config.modality, task: config.task };
    },
    async spaceOf(model) {
      return spaceOfInfo(await backend.model(model));
    },
    async textModelSharing(model) {
      const info = await backend.model(model);
      if (isText(info)) return model;
      const space = spaceOfInfo(info);
      return space === undefined ? undefined : textModelIn(space, await backend.models());
    },
    async sharingSpace() {
      const served = await backend.models();
      const paired = (info: ModelInfo) => {
        const space = spaceOfInfo(info);
        return space !== undefined && textModelIn(space, served) !== undefined;
      };
      return served.filter((info) => isText(info) || paired(info)).map((info) => info.id);
    },
  };
}
