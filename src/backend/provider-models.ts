/**
 * @module
 * Models served by another provider than the inference backend, chosen per model in the `MODELS` var (JSON):
 * `{"<model id>": {"provider": "hf", "endpointUrl": "https://…", "task"?: …, "modality": …, "dimension"?: …}}`.
 * A model listed here goes through `@huggingface/inference` against its `endpointUrl` (a TEI server or an HF
 * Inference Endpoint, with the `HF_TOKEN` secret when set); every other model goes to the backend pool.
 * `task` says what the endpoint does: `feature-extraction` (the default) embeds text; `image-classification` and
 * `audio-classification` answer the provider's own labels and scores, not embeddings, so a task modality served
 * that way can only use a head that reads labels (the provider-label head; see `model-catalog.ts`).
 */
import { z } from '@hono/zod-openapi';
import { log } from '../log.ts';
import { ApiError } from '../problem.ts';

export const providers = ['hf'] as const;

/** The provider tasks a model may be served by, and the modality each serves. */
export const providerTasks = {
  'feature-extraction': 'text',
  'image-classification': 'image',
  'audio-classification': 'audio',
} as const;

export type ProviderTask = keyof typeof providerTasks;

const common = { provider: z.enum(providers), endpointUrl: z.url({ protocol: /^https?$/ }) };

const EmbeddingModelSchema = z.object({
  ...common,
  task: z.literal('feature-extraction').default('feature-extraction'),
  /** Feature extraction embeds text; the Inference API has no embedding task for other modalities. */
  modality: z.literal('text'),
  dimension: z.number().int().positive(),
});

const ClassificationModelSchema = z
  .object({
    ...common,
    task: z.enum(['image-classification', 'audio-classification']),
    modality: z.enum(['image', 'audio']),
  })
  .refine((model) => providerTasks[model.task] === model.modality, {
    message: 'image-classification serves the image modality, audio-classification the audio modality',
    path: ['modality'],
  });

const ModelConfigSchema = z.union([EmbeddingModelSchema, ClassificationModelSchema]);

const ModelsSchema = z.record(z.string().min(1), ModelConfigSchema);

export type ModelConfig = z.infer<typeof ModelConfigSchema>;
export type EmbeddingModelConfig = z.infer<typeof EmbeddingModelSchema>;
export type ClassificationModelConfig = z.infer<typeof ClassificationModelSchema>;

/** The provider-served models by id; empty when `MODELS` is unset. A malformed `MODELS` is the operator's 500. */
export function parseModels(text: string | undefined): ReadonlyMap<string, ModelConfig> {
  if (text === undefined || text.trim() === '') return new Map();
  let parsed: z.ZodSafeParseResult<Record<string, ModelConfig>>;
  try {
    parsed = ModelsSchema.safeParse(JSON.parse(text));
  } catch {
    throw misconfigured('it is not JSON');
  }
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw misconfigured(`${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return new Map(Object.entries(parsed.data));
}

function misconfigured(why: string): ApiError {
  log('error', `MODELS is invalid: ${why}`);
  return new ApiError(
    500,
    'models-misconfigured',
    'the MODELS configuration is invalid; the operator has been told',
  );
}
