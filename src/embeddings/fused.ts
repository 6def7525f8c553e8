/**
 * @module
 * Feature-level fusion of one multimodal item into one vector (`POST /v1/embeddings/fused`): each modality is
 * embedded by its adapter's default model unless `models` names another, all through the scoring stage (one
 * backend call per model), then fused (`fusion/feature.ts`: `mean` or `concat`). All or nothing.
 */
import { fuseFeatures, type FeatureMethod } from '../fusion/feature.ts';
import { ApiError } from '../problem.ts';
import { askModels, embeddingsOf, type StageServices } from '../scoring/stage.ts';

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
  services: StageServices,
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
  const vector = await services.time('fusion', () =>
    fuseFeatures(vectors, request.method, request.dimensions),
  );
  return { vector, models };
}
