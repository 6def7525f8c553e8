/**
 * @module
 * The embeddings pipeline: find the model (its modality from its metadata on the backend, cached per isolate) → the
 * scoring stage (the adapter normalises every item, one backend call) → optional truncation → OpenAI's response
 * shape. Callable with any {@link EmbedServices}, in a request or not. When the metadata cannot be had (the backend
 * is down) but the edge knows the model's modality (`ModelCatalog.modalityOf`), the inputs are checked first, so
 * that broken bytes are the client's 4xx, not a 503 to retry.
 */
import type { EdgeAdapter } from '../../adapters/types.ts';
import { BackendError } from '../backend/errors.ts';
import type { Backend, EmbeddingModelInfo } from '../backend/types.ts';
import { listNames } from '../lookup-error.ts';
import type { Modalities } from '../modalities.ts';
import { ApiError } from '../problem.ts';
import type { Services } from '../services.ts';
import { askModels, embeddingsOf, type StageInput, type StageServices } from '../scoring/stage.ts';
import { encodeFloat32, l2Normalize } from '../vectors.ts';
import { maxEmbeddingInputBytes, type EmbeddingList, type EmbeddingsRequest } from './schema.ts';

/** The 404 of a model the backend lacks, naming those it has (the list is read only then). */
async function unknownModel(backend: Backend, model: string): Promise<never> {
  const known = (await backend.models()).map((candidate) => candidate.id);
  const detail = `unknown model ${JSON.stringify(model)}; known: ${listNames(known)}`;
  throw new ApiError(404, 'unknown-model', detail, { extensions: { known } });
}

/**
 * The model's facts: its own metadata (one request, kept per isolate and shared with the infer call that follows),
 * not the whole list, which costs the backend's index and every model's metadata on an isolate's first request.
 */
async function findModel(backend: Backend, request: EmbeddingsRequest): Promise<EmbeddingModelInfo> {
  const model = await backend.model(request.model).catch((error: unknown) => {
    if (error instanceof BackendError && error.kind === 'unknown-model')
      return unknownModel(backend, request.model);
    throw error;
  });
  if (request.modality !== undefined && request.modality !== model.modality) {
    const detail = `the model ${model.id} embeds ${model.modality}, not ${request.modality}`;
    throw new ApiError(400, 'modality-mismatch', detail);
  }
  if (model.kind === 'classification') {
    const detail = `the model ${model.id} is a ${model.task} endpoint: it answers labels, not embeddings`;
    throw new ApiError(400, 'not-an-embedding-model', detail);
  }
  if (request.dimensions !== undefined && request.dimensions > model.dimension) {
    const detail = `dimensions ${request.dimensions} is more than the model's ${model.dimension}`;
    throw new ApiError(400, 'invalid-dimensions', detail, { extensions: { limit: model.dimension } });
  }
  return model;
}

export type EmbedServices = StageServices & Pick<Services, 'models'>;

/** The model's metadata; a backend that cannot give it fails the request only after the inputs are checked. */
async function modelFor(
  request: EmbeddingsRequest,
  inputs: readonly string[],
  services: EmbedServices,
): Promise<EmbeddingModelInfo> {
  try {
    return await findModel(services.backend, request);
  } catch (error) {
    const modality = services.models.modalityOf(request.model);
    const down = error instanceof BackendError && error.kind === 'unavailable';
    if (!down || modality === undefined || !services.modalities.has(modality)) throw error;
    await askModels(stageInputs(inputs, modality), services);
    throw error;
  }
}

const stageInputs = (inputs: readonly string[], modality: string, ask?: StageInput['ask']) =>
  inputs.map((value, i) => ({ modality, value, at: `input[${i}]`, ...(ask ? { ask } : {}) }));

function adapterFor(modalities: Modalities, model: EmbeddingModelInfo): EdgeAdapter {
  if (!modalities.has(model.modality)) {
    const detail = `the model ${model.id} is of modality ${model.modality}, which no adapter here handles`;
    throw new ApiError(400, 'unknown-modality', detail, { extensions: { known: modalities.names } });
  }
  return modalities.get(model.modality);
}

/**
 * Approximate token counts, since no tokenizer runs at the edge: whitespace-separated words for text-like
 * modalities, 1 per item otherwise.
 */
function countTokens(adapter: EdgeAdapter, inputs: readonly string[]): number {
  const textLike = adapter.mimeTypes.length === 0 && adapter.jsonForms.includes('text');
  if (!textLike) return inputs.length;
  return inputs.reduce((sum, text) => sum + text.split(/\s+/).filter((word) => word !== '').length, 0);
}

function shape(vector: Float32Array, request: EmbeddingsRequest): number[] | string {
  const values =
    request.dimensions === undefined ? vector : l2Normalize(vector.subarray(0, request.dimensions));
  return request.encoding_format === 'base64' ? encodeFloat32(values) : Array.from(values);
}

/** `input` as the issue a refusal names, so that OpenAI's error carries `param: "input"`. */
const inputIssue = (message: string) => ({ extensions: { issues: [{ path: 'input', message }] } });

/**
 * Token arrays are refused for every model: the ids clients send are tiktoken's (Python LangChain's default path
 * tokenises with `cl100k_base` whatever the model), which no model here was trained on, so decoding them with a
 * model's own tokenizer would embed other words than the client's. Refused before the backend is asked.
 */
function refuseTokens(input: EmbeddingsRequest['input']): asserts input is string | string[] {
  if (typeof input === 'string' || input.every((item) => typeof item === 'string')) return;
  const detail =
    'token arrays are not accepted: send the text itself (with LangChain Python, OpenAIEmbeddings(' +
    'check_embedding_ctx_length=False)); token ids depend on a tokenizer this API does not share';
  throw new ApiError(400, 'token-input-unsupported', detail, inputIssue(detail));
}

/** Their UTF-8 size in all, encoded only when it could matter (a UTF-16 unit is 1 to 3 bytes of UTF-8). */
function utf8Bytes(inputs: readonly string[]): number {
  const units = inputs.reduce((sum, input) => sum + input.length, 0);
  if (units * 3 <= maxEmbeddingInputBytes) return units;
  const encoder = new TextEncoder();
  return inputs.reduce((sum, input) => sum + encoder.encode(input).length, 0);
}

/** The inputs as a list, within {@link maxEmbeddingInputBytes} in all (413 otherwise). */
function inputsOf(request: EmbeddingsRequest): readonly string[] {
  refuseTokens(request.input);
  const inputs = typeof request.input === 'string' ? [request.input] : request.input;
  if (utf8Bytes(inputs) > maxEmbeddingInputBytes) {
    const detail = `the inputs are over ${maxEmbeddingInputBytes} bytes in all: send them in several requests`;
    throw new ApiError(413, 'input-too-large', detail, {
      extensions: { limit: maxEmbeddingInputBytes, issues: [{ path: 'input', message: detail }] },
    });
  }
  return inputs;
}

export async function embed(request: EmbeddingsRequest, services: EmbedServices): Promise<EmbeddingList> {
  const inputs = inputsOf(request);
  const model = await modelFor(request, inputs, services);
  const adapter = adapterFor(services.modalities, model);
  const ask = { model: model.id, kind: 'embedding' as const };
  const vectors = embeddingsOf(await askModels(stageInputs(inputs, model.modality, ask), services));
  const tokens = countTokens(adapter, inputs);
  return {
    object: 'list',
    data: vectors.map((vector, index) => ({ object: 'embedding', index, embedding: shape(vector, request) })),
    model: model.id,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}
