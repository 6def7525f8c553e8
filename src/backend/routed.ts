/**
 * @module
 * The one {@link Backend} the edge calls, over several clients: calls about a model go to the client that serves it
 * (a provider model from `MODELS`) or else to the default (the backend pool). The model list joins them; a default
 * that is down leaves the provider models listed. `classify` reaches a provider's classification endpoint; a model
 * without one (the backend's, or a provider's embedding model) cannot answer labels, which is an `unknown-model`
 * failure; and a classification endpoint has no embeddings to give, which is the client's 400.
 */
import type { CanonicalInput } from '../../adapters/types.ts';
import { ApiError } from '../problem.ts';
import { BackendError } from './errors.ts';
import type { Backend, BackendClient, ClassifierClient, ModelInfo, ProviderLabel } from './types.ts';

export type ProviderClient = BackendClient | ClassifierClient;

async function notAnEmbeddingModel(model: string, client: ClassifierClient): Promise<never> {
  const info = await client.model(model);
  const task = info.kind === 'classification' ? info.task : 'classification';
  const detail = `the model ${model} is a ${task} endpoint: it answers labels, not embeddings`;
  throw new ApiError(400, 'not-an-embedding-model', detail);
}

export function routeModels(fallback: BackendClient, served: ReadonlyMap<string, ProviderClient>): Backend {
  const clientFor = (model: string) => served.get(model) ?? fallback;

  /** The joined list; with no provider models, the default's own (a default that is down is then a 503). */
  async function models(): Promise<ModelInfo[]> {
    if (served.size === 0) return fallback.models();
    const own = (await Promise.all([...served.values()].map((client) => client.models()))).flat();
    const rest = await fallback.models().catch((error: unknown) => {
      if (error instanceof BackendError && error.kind === 'unavailable') return [];
      throw error;
    });
    return [...own, ...rest.filter((model) => !served.has(model.id))];
  }

  async function embed(
    model: string,
    inputs: readonly CanonicalInput[],
    signal?: AbortSignal,
  ): Promise<Float32Array[]> {
    const client = clientFor(model);
    return 'embed' in client ? client.embed(model, inputs, signal) : notAnEmbeddingModel(model, client);
  }

  async function classify(model: string, inputs: readonly CanonicalInput[]): Promise<ProviderLabel[][]> {
    const client = served.get(model);
    if (client === undefined || !('classify' in client))
      throw new BackendError('unknown-model', `no classification endpoint serves the model ${model}`);
    return client.classify(model, inputs);
  }

  return {
    url: fallback.url,
    embed,
    classify,
    model: (name) => clientFor(name).model(name),
    models,
    ready: () => fallback.ready(),
  };
}
