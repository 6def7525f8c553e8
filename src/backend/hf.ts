/**
 * @module
 * A {@link BackendClient} for one model served through `@huggingface/inference`'s `featureExtraction` against an
 * `endpointUrl` (TEI or an HF Inference Endpoint). Canonical text inputs go as one batch; token-level answers
 * (rank 3) are mean-pooled. The provider's 4xx (bar 401, 403 and 429) is the client's input, anything else is
 * `unavailable` — a 503 included, which the library would otherwise retry at once, without end (see
 * {@link callOptions}). The classification endpoints' client (`hf-classifier.ts`) shares these rules. The client's
 * problem detail names the provider's status only; its error text (which may name URLs or internals) is logged.
 */
import { InferenceClient } from '@huggingface/inference';
import type { CanonicalInput } from '../../adapters/types.ts';
import { BackendError, BackendInputError } from './errors.ts';
import { log } from '../log.ts';
import { deadlineSignal } from './http.ts';
import type { EmbeddingModelConfig } from './provider-models.ts';
import type { BackendClient, EmbeddingModelInfo } from './types.ts';

export interface HfOptions {
  readonly token?: string | undefined;
  readonly timeoutMs?: number | undefined;
}

function statusOf(error: unknown): number | undefined {
  const response = (error as { httpResponse?: { status?: unknown } } | undefined)?.httpResponse;
  return typeof response?.status === 'number' ? response.status : undefined;
}

/** The provider's 4xx (bar 401, 403 and 429: our token or our rate) is the client's input; anything else is ours. */
export function failure(model: string, error: unknown): Error {
  const status = statusOf(error);
  const message = error instanceof Error ? error.message : String(error);
  const answered = status === undefined ? 'gave no usable answer' : `answered HTTP ${status}`;
  log('warn', `the ${model} endpoint ${answered}`, { providerMessage: message });
  if (
    status !== undefined &&
    status >= 400 &&
    status < 500 &&
    status !== 429 &&
    status !== 401 &&
    status !== 403
  )
    return new BackendInputError(model, `the endpoint refused it (HTTP ${status})`);
  return new BackendError('unavailable', `the ${model} endpoint is unavailable: it ${answered}`);
}

/**
 * Per-call options: the deadline (and the caller's signal, when it gives one: aborting it abandons the call), and
 * no retry by the library on a 503 — it would retry at once, with no pause and no bound, until the deadline; a 503
 * is reported as the model being unavailable instead (missing in classify).
 */
export function callOptions(
  options: HfOptions,
  signal?: AbortSignal,
): { signal: AbortSignal; retry_on_error: false } {
  return { signal: deadlineSignal(options.timeoutMs ?? 60_000, signal), retry_on_error: false };
}

function pooled(row: unknown): Float32Array {
  if (Array.isArray(row) && row.every((value) => typeof value === 'number')) return Float32Array.from(row);
  if (Array.isArray(row) && row.length > 0 && row.every((token) => Array.isArray(token))) {
    const tokens = row as number[][];
    const sum = new Float32Array(tokens[0]?.length ?? 0);
    for (const token of tokens) token.forEach((value, i) => (sum[i] = (sum[i] ?? 0) + value / tokens.length));
    return sum;
  }
  throw new BackendError('bad-response', 'the endpoint answered something that is not an embedding');
}

export function createHfClient(
  id: string,
  config: EmbeddingModelConfig,
  options: HfOptions = {},
): BackendClient {
  const client = new InferenceClient(options.token);
  const info: EmbeddingModelInfo = {
    kind: 'embedding',
    id,
    modality: config.modality,
    dimension: config.dimension,
    executionProvider: 'hf-endpoint',
  };

  async function embed(
    _model: string,
    inputs: readonly CanonicalInput[],
    signal?: AbortSignal,
  ): Promise<Float32Array[]> {
    if (inputs.length === 0) return [];
    const texts = inputs.map((input) => new TextDecoder().decode(input.bytes));
    let output: unknown;
    try {
      output = await client.featureExtraction(
        { endpointUrl: config.endpointUrl, inputs: texts },
        callOptions(options, signal),
      );
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw failure(id, error);
    }
    if (!Array.isArray(output) || output.length !== inputs.length)
      throw new BackendError(
        'bad-response',
        `the ${id} endpoint answered ${Array.isArray(output) ? output.length : 0} embeddings for ${inputs.length} inputs`,
      );
    return output.map(pooled);
  }

  async function ready(): Promise<boolean> {
    try {
      const response = await fetch(`${config.endpointUrl.replace(/\/+$/, '')}/health`, {
        signal: AbortSignal.timeout(5_000),
      });
      await response.body?.cancel();
      return response.status < 500;
    } catch {
      return false;
    }
  }

  return {
    url: config.endpointUrl,
    embed,
    models: () => Promise.resolve([info]),
    model: () => Promise.resolve(info),
    ready,
  };
}
