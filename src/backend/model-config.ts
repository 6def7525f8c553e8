/**
 * @module
 * Models served by another provider than the inference backend, chosen per model in the `MODELS` var (JSON):
 * `{"<model id>": {"provider": "hf", "endpointUrl": "https://…", "modality": "text", "dimension": 384}}`. A model
 * listed here is embedded through `@huggingface/inference` against its `endpointUrl` (a TEI server or an HF
 * Inference Endpoint, with the `HF_TOKEN` secret when set); every other model goes to the backend pool.
 */
import { z } from '@hono/zod-openapi';
import { log } from '../log.ts';
import { ApiError } from '../problem.ts';

export const providers = ['hf'] as const;

const ModelConfigSchema = z.object({
  provider: z.enum(providers),
  endpointUrl: z.url({ protocol: /^https?$/ }),
  /** Feature extraction embeds text; the Inference API has no embedding task for other modalities. */
  modality: z.literal('text'),
  dimension: z.number().int().positive(),
});

const ModelsSchema = z.record(z.string().min(1), ModelConfigSchema);

export type ModelConfig = z.infer<typeof ModelConfigSchema>;

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
