/**
 * @module
 * `GET /v1/models`: the backend's models that have a modality, and the provider models of `MODELS`, with what each
 * answers (embeddings, or a classification endpoint's labels) and the embedding space it declares. OpenAI's list
 * shape (`object`, `owned_by`) is kept so `client.models.list()` of the openai SDK works too.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { json, problems } from '../openapi.ts';
import { createRouter } from '../router.ts';

const ModelSchema = z
  .object({
    id: z.string().openapi({ example: 'use-lite' }),
    object: z.literal('model'),
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

export const modelsRoutes = createRouter().openapi(listModels, async (c) => {
  const { backend, modalities } = c.var.services;
  const models = await backend.models();
  const isDefault = (id: string, modality: string) =>
    modalities.has(modality) && modalities.get(modality).defaultModel === id;
  const data = models.map((model) => ({
    id: model.id,
    object: 'model' as const,
    owned_by: 'modalfuse',
    modality: model.modality,
    dimension: model.kind === 'embedding' ? model.dimension : 0,
    kind: model.kind,
    backend: model.executionProvider,
    default: isDefault(model.id, model.modality),
    ...(model.kind === 'embedding' && model.embeddingSpace !== undefined
      ? { embedding_space: model.embeddingSpace }
      : {}),
  }));
  return c.json({ object: 'list' as const, data }, 200);
});
