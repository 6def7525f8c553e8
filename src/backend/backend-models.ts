/**
 * @module
 * What the edge is told of the backend's models, for a server whose metadata lacks ModalFuse's `parameters` (a
 * plain Triton or KServe v2 server): the `BACKEND_MODELS` var (JSON),
 * `{"<model>": {"modality": "text", "embedding_space"?, "embedding_output"?, "dimension"?, "max_batch_size"?}}`.
 * Each entry stands in for the parameters of that model's metadata, under the names the backend uses; what the
 * server's metadata does say wins, key by key (`wire.ts`). A model with no modality from either is not listed.
 */
import { z } from '@hono/zod-openapi';
import type { Parameters } from '../../gpu-backend/protocol/types.ts';
import { log } from '../log.ts';
import { ApiError } from '../problem.ts';

const BackendModelSchema = z
  .object({
    modality: z.string().min(1),
    embedding_space: z.string().min(1).optional(),
    embedding_output: z.string().min(1).optional(),
    dimension: z.number().int().positive().optional(),
    max_batch_size: z.number().int().positive().optional(),
  })
  .strict();

const BackendModelsSchema = z.record(z.string().min(1), BackendModelSchema);

/** Each configured model's stand-in metadata parameters, by model name; empty when `BACKEND_MODELS` is unset. */
export type BackendModels = ReadonlyMap<string, Parameters>;

function parametersOf(entry: z.infer<typeof BackendModelSchema>): Parameters {
  const { dimension, ...rest } = entry;
  const defined = Object.entries(rest).filter(([, value]) => value !== undefined);
  return {
    ...(Object.fromEntries(defined) as Parameters),
    ...(dimension === undefined ? {} : { embedding_dimension: dimension }),
  };
}

/** `BACKEND_MODELS` read; a malformed one is the operator's 500, logged with the reason. */
export function parseBackendModels(text: string | undefined): BackendModels {
  if (text === undefined || text.trim() === '') return new Map();
  let parsed: z.ZodSafeParseResult<z.infer<typeof BackendModelsSchema>>;
  try {
    parsed = BackendModelsSchema.safeParse(JSON.parse(text));
  } catch {
    throw misconfigured('it is not JSON');
  }
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw misconfigured(`${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return new Map(Object.entries(parsed.data).map(([name, entry]) => [name, parametersOf(entry)]));
}

function misconfigured(why: string): ApiError {
  log('error', `BACKEND_MODELS is invalid: ${why}`);
  const detail = 'the BACKEND_MODELS configuration is invalid; the operator has been told';
  return new ApiError(500, 'backend-models-misconfigured', detail);
}
