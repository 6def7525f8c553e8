/**
 * @module
 * `POST /v1/embeddings/fused`: feature-level fusion. One multimodal item (`inputs: {text?, image?, audio?}`) →
 * one vector, in the OpenAI embeddings list shape (see `fusion/feature.ts` for `mean` and `concat`). Each modality
 * is embedded with its adapter's default model unless `models` names another.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { embedJobs } from '../scoring/stage.ts';
import { BackendError } from '../backend/errors.ts';
import { EmbeddingListSchema } from '../embeddings/schema.ts';
import { InputsSchema } from '../classify/schema.ts';
import { defaultFusedDimensions, featureMethods, fuseFeatures } from '../fusion/feature.ts';
import { normalizeInputs } from '../inputs/normalize.ts';
import { json, problems } from '../openapi.ts';
import { ApiError } from '../problem.ts';
import { createRouter } from '../router.ts';
import { WeightsSchema } from '../tasks/schema.ts';
import { timerFor } from '../timer.ts';
import { encodeFloat32 } from '../vectors.ts';

const FusedRequestSchema = z
  .object({
    inputs: InputsSchema,
    models: z.record(z.string(), z.string().min(1).max(200)).optional(),
    weights: WeightsSchema.optional(),
    method: z.enum(featureMethods).default('mean'),
    dimensions: z.number().int().min(8).max(4096).default(defaultFusedDimensions).openapi({
      description: 'Size of the `mean` vector (ignored by `concat`, whose size is the sum of the models’).',
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
  const time = timerFor(c);
  const slots = Object.entries(body.inputs).map(([modality, value]) => ({
    modality,
    value,
    at: `inputs.${modality}`,
  }));
  if (slots.length === 0) throw new ApiError(400, 'no-inputs', 'inputs: give at least one modality');
  const canonical = await time('normalize', () => normalizeInputs(c.var.modalities, slots));
  const models = slots.map((s) => body.models?.[s.modality] ?? c.var.modalities.get(s.modality).defaultModel);
  const jobs = slots.map((_, i) => ({
    model: models[i] ?? '',
    input: canonical[i] as (typeof canonical)[number],
  }));
  const embedded = await time('backend', () => embedJobs(c.var.backend, jobs));
  const failed = embedded.find((result) => result instanceof BackendError);
  if (failed !== undefined) throw failed;
  const vectors = slots.map((s, i) => ({
    modality: s.modality,
    model: models[i] ?? '',
    embedding: embedded[i] as Float32Array,
    weight: body.weights?.[s.modality] ?? 1,
  }));
  if (vectors.every((v) => v.weight === 0)) {
    throw new ApiError(422, 'no-usable-modality', 'every modality given has weight 0');
  }
  const vector = await time('fusion', () => fuseFeatures(vectors, body.method, body.dimensions));
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
