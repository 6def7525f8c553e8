/**
 * @module
 * `POST /v1/embeddings/fused`: feature-level fusion. One multimodal item (`inputs: {text?, image?, audio?}`) →
 * one vector, in the OpenAI embeddings list shape (`embeddings/fused.ts`; `fusion/feature.ts` for `mean` and
 * `concat`, and `mean` within one shared space). Each modality is embedded with its adapter's default model unless
 * `models` names another.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { InputsSchema } from '../classify/schema.ts';
import { embedFused } from '../embeddings/fused.ts';
import { EmbeddingListSchema } from '../embeddings/schema.ts';
import { defaultFusedDimensions, featureMethods } from '../fusion/feature.ts';
import { json, problems } from '../openapi.ts';
import { createRouter } from '../router.ts';
import { WeightsSchema } from '../tasks/schema.ts';
import { encodeFloat32 } from '../vectors.ts';

const FusedRequestSchema = z
  .object({
    inputs: InputsSchema,
    models: z.record(z.string(), z.string().min(1).max(200)).optional(),
    weights: WeightsSchema.optional(),
    method: z.enum(featureMethods).default('mean').openapi({
      description:
        '`mean`: when every model shares one embedding space (one model, or models declaring the same `embedding_space`, e.g. `use-lite` and `mobilenetv2-conse`), the weighted mean direction of the embeddings in that space; otherwise each embedding is count-sketched to `dimensions` and the sketches averaged. `concat`: the embeddings scaled by √weight, concatenated.',
    }),
    dimensions: z.number().int().min(8).max(4096).default(defaultFusedDimensions).openapi({
      description:
        'Size of a sketched `mean` vector (ignored by `concat`, whose size is the sum of the models’, and by a `mean` in one shared space, whose size is the space’s).',
    }),
    encoding_format: z.enum(['float', 'base64']).default('float'),
  })
  .openapi('FusedEmbeddingRequest');

const fused = createRoute({
  method: 'post',
  path: '/v1/embeddings/fused',
  tags: ['embeddings'],
  summary: 'One fused vector for a multimodal item (feature-level fusion).',
  request: { body: { required: true, content: { 'application/json': { schema: FusedRequestSchema } } } },
  responses: {
    200: json(EmbeddingListSchema, 'One L2-normalised vector for the item.'),
    ...problems(400, 401, 413, 415, 422, 503),
  },
});

export const fusedEmbeddingsRoutes = createRouter().openapi(fused, async (c) => {
  const body = c.req.valid('json');
  const { vector, models } = await embedFused(body, c.var.services);
  const embedding = body.encoding_format === 'base64' ? encodeFloat32(vector) : Array.from(vector);
  return c.json(
    {
      object: 'list' as const,
      data: [{ object: 'embedding' as const, index: 0, embedding }],
      model: `fused-${body.method}:${models.join('+')}`,
      usage: { prompt_tokens: 0, total_tokens: 0 },
    },
    200,
  );
});
