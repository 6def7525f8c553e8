/**
 * @module
 * `POST /v1/embeddings`, OpenAI-compatible, for every modality the backend has a model for. Its errors are
 * OpenAI-shaped (see `middleware/openai-errors.ts`), not problem+json.
 */
import { createRoute } from '@hono/zod-openapi';
import { embed } from '../embeddings/embed.ts';
import { EmbeddingListSchema, EmbeddingsRequestSchema } from '../embeddings/schema.ts';
import { json, openAIProblems } from '../openapi.ts';
import { createRouter } from '../router.ts';

const embeddingsRoute = createRoute({
  method: 'post',
  path: '/v1/embeddings',
  tags: ['embeddings'],
  summary: 'Embed inputs with a model (OpenAI-compatible).',
  request: { body: { required: true, content: { 'application/json': { schema: EmbeddingsRequestSchema } } } },
  responses: {
    200: json(EmbeddingListSchema, 'One embedding per input, in order.'),
    ...openAIProblems(400, 401, 403, 404, 413, 415, 422, 429, 503),
  },
});

export const embeddingsRoutes = createRouter().openapi(embeddingsRoute, async (c) => {
  return c.json(await embed(c.req.valid('json'), c.var.services), 200);
});
