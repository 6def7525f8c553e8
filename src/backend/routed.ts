/**
 * @module
 * One {@link BackendClient} over several: calls about a model go to the client that serves it (a provider model
 * from `MODELS`) or else to the default (the backend pool). The model list joins them; a default that is down
 * leaves the provider models listed. `classify` reaches a provider's classification endpoint; a model without one
 * (the backend's, or a provider's embedding model) cannot answer labels, which is an `unknown-model` failure.
 */
import { BackendError } from './errors.ts';
import type { CanonicalInput } from '../../adapters/types.ts';
import type { BackendClient, ModelInfo, ProviderLabel } from './types.ts';

export function routeModels(
  fallback: BackendClient,
  served: ReadonlyMap<string, BackendClient>,
): BackendClient {
  if (served.size === 0) return fallback;
  const clientFor = (model: string) => served.get(model) ?? fallback;

  async function models(): Promise<ModelInfo[]> {
    const own = (await Promise.all([...served.values()].map((client) => client.models()))).flat();
    const rest = await fallback.models().catch((error: unknown) => {
      if (error instanceof BackendError && error.kind === 'unavailable') return [];
      throw error;
    });
    return [...own, ...rest.filter((model) => !served.has(model.id))];
  }

  async function classify(model: string, inputs: readonly CanonicalInput[]): Promise<ProviderLabel[][]> {
    const client = served.get(model);
    if (client?.classify === undefined)
      throw new BackendError('unknown-model', `no classification endpoint serves the model ${model}`);
    return client.classify(model, inputs);
  }

  return {
    url: fallback.url,
    embed: (model, inputs) => clientFor(model).embed(model, inputs),
    classify,
    model: (name) => clientFor(name).model(name),
    models,
    ready: () => fallback.ready(),
  };
}
