/**
 * @module
 * `GET /v1/models`: the backend's models that have a modality, and the provider models of `MODELS`, with what each
 * answers (embeddings, or a classification endpoint's labels) and the embedding space it declares. OpenAI's list
 * shape (`object`, `created`, `owned_by`) is kept so the openai SDK's `models.list()` and `models.retrieve(id)`
 * work too (`GET /v1/models/{id}`: one model, 404 for one the edge cannot use).
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { ModelInfo } from '../backend/types.ts';
import { listNames } from '../lookup-error.ts';
import type { Modalities } from '../modalities.ts';
import { ApiError } from '../problem.ts';
import { json, problems } from '../openapi.ts';
import { createRouter } from '../router.ts';

const ModelSchema = z
  .object({
    id: z.string().openapi({ example: 'use-lite' }),
    object: z.literal('model'),
    created: z.number().int().openapi({
      description:
        'When the model version was made (Unix seconds; its file on this backend), 0 when unknown.',
    }),
    owned_by: z.string().openapi({ example: 'modalfuse' }),
    modality: z.string().openapi({ example: 'text' }),
    dimension: z.number().int().openapi({ example: 256, description: '0 for a classification model.' }),
    kind: z.enum(['embedding', 'classification']).openapi({
      description:
        "What the model answers: embeddings, or a provider's own labels (tasks use it with the provider-label head).",
    }),
    backend: z
      .string()
      .openapi({ description: 'Execution provider the backend runs it on.', example: 'cpu' }),
    default: z.boolean().openapi({
      description: 'Whether it is its modality’s default model, used by tasks and clients that name none.',
    }),
    embedding_space: z.string().optional().openapi({
      description:
        'The embedding space the model declares: models declaring the same one embed into one space (a text model, its html twin, images through ConSE), so their vectors compare and the zero-shot head pairs them.',
      example: 'use-lite',
    }),
  })
  .openapi('Model');

const ModelListSchema = z
  .object({ object: z.literal('list'), data: z.array(ModelSchema) })
  .openapi('ModelList');

const listModels = createRoute({
  method: 'get',
  path: '/v1/models',
  tags: ['models'],
  summary: 'The models the edge can use, with modality and embedding dimension.',
  responses: { 200: json(ModelListSchema, 'The models.'), ...problems(401, 503) },
});

const getModel = createRoute({
  method: 'get',
  path: '/v1/models/{id}',
  tags: ['models'],
  summary: 'One model, as the list has it (OpenAI’s `models.retrieve`).',
  request: { params: z.object({ id: z.string().min(1).openapi({ example: 'use-lite' }) }) },
  responses: { 200: json(ModelSchema, 'The model.'), ...problems(401, 404, 503) },
});

/** A model as the API shows it; `created` is 0 where the backend does not say when the model was made. */
function shown(model: ModelInfo, modalities: Modalities): z.infer<typeof ModelSchema> {
  const isDefault =
    modalities.has(model.modality) && modalities.get(model.modality).defaultModel === model.id;
  return {
    id: model.id,
    object: 'model',
    created: model.created ?? 0,
    owned_by: 'modalfuse',
    modality: model.modality,
    dimension: model.kind === 'embedding' ? model.dimension : 0,
    kind: model.kind,
    backend: model.executionProvider,
    default: isDefault,
    ...(model.kind === 'embedding' && model.embeddingSpace !== undefined
      ? { embedding_space: model.embeddingSpace }
      : {}),
  };
}

export const modelsRoutes = createRouter()
  .openapi(listModels, async (c) => {
    const { backend, modalities } = c.var.services;
    const data = (await backend.models()).map((model) => shown(model, modalities));
    return c.json({ object: 'list' as const, data }, 200);
  })
  .openapi(getModel, async (c) => {
    const { backend, modalities } = c.var.services;
    const { id } = c.req.valid('param');
    // From the list, so that a model answers as listed and one that is not listed (a helper) is a 404.
    const models = await backend.models();
    const model = models.find((candidate) => candidate.id === id);
    if (model === undefined) {
      const known = models.map((candidate) => candidate.id);
      const detail = `unknown model ${JSON.stringify(id)}; known: ${listNames(known)}`;
      throw new ApiError(404, 'unknown-model', detail, { extensions: { known } });
    }
    return c.json(shown(model, modalities), 200);
  });
