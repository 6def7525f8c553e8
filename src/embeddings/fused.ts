/**
 * @module
 * Feature-level fusion of one multimodal item into one vector (`POST /v1/embeddings/fused`): each modality is
 * embedded by its adapter's default model unless `models` names another, all through the scoring stage (one
 * backend call per model), then fused (`fusion/feature.ts`: `mean` or `concat`; a `mean` of models that share one
 * embedding space, as the catalog reads it from their metadata, stays in that space). All or nothing.
 */
import type { ModelCatalog } from '../backend/model-catalog.ts';
import { fuseFeatures, type FeatureMethod } from '../fusion/feature.ts';
import { ApiError } from '../problem.ts';
import { askModels, embeddingsOf, type StageServices } from '../scoring/stage.ts';
import type { Services } from '../services.ts';

export interface FusedRequest {
  readonly inputs: Readonly<Record<string, string>>;
  readonly models?: Readonly<Record<string, string>> | undefined;
  readonly weights?: Readonly<Record<string, number>> | undefined;
  readonly method: FeatureMethod;
  /** Size of the `mean` vector. */
  readonly dimensions: number;
}

/** The item's fused vector and the models that embedded it, in the order of its inputs. */
export async function embedFused(
  request: FusedRequest,
  services: StageServices & Pick<Services, 'models'>,
): Promise<{ vector: Float64Array; models: string[] }> {
  const entries = Object.entries(request.inputs);
  if (entries.length === 0) throw new ApiError(400, 'no-inputs', 'inputs: give at least one modality');
  const models = entries.map(
    ([modality]) => request.models?.[modality] ?? services.modalities.get(modality).defaultModel,
  );
  const inputs = entries.map(([modality, value], i) => ({
    modality,
    value,
    at: `inputs.${modality}`,
    ask: { model: models[i] ?? '', kind: 'embedding' as const },
  }));
  const embeddings = embeddingsOf(await askModels(inputs, services));
  const vectors = entries.map(([modality], i) => ({
    modality,
    model: models[i] ?? '',
    embedding: embeddings[i] as Float32Array,
    weight: request.weights?.[modality] ?? 1,
  }));
  if (vectors.every((v) => v.weight === 0)) {
    throw new ApiError(422, 'no-usable-modality', 'every modality given has weight 0');
  }
  const oneSpace = request.method === 'mean' && (await shareOneSpace(models, services.models));
  const vector = await services.time('fusion', () =>
    fuseFeatures(vectors, request.method, request.dimensions, oneSpace),
  );
  return { vector, models };
}

/** Whether the models embed into one space: they are one model, or all declare the same embedding space. */
async function shareOneSpace(models: readonly string[], catalog: ModelCatalog): Promise<boolean> {
  const distinct = [...new Set(models)];
  if (distinct.length === 1) return true;
  const spaces = await Promise.all(distinct.map((model) => catalog.spaceOf(model)));
  return spaces[0] !== undefined && spaces.every((space) => space === spaces[0]);
}
