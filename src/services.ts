/**
 * @module
 * What the edge's work needs besides its input, as one object: the adapters, the inference backend, what is known
 * of models (before calling them, and from their metadata), the tasks, and a timer for `Server-Timing`. A request
 * gets it as `c.var.services` (`middleware/services.ts`); {@link createServices} builds it from the Worker's
 * environment alone, so that work outside a request (a queue consumer, a scheduled job) can have the same.
 *
 * The backend: a pool (`backend/load-balancer.ts`) over `BACKEND_URLS` (comma-separated) or else the one
 * `BACKEND_URL`, each member called with the `BACKEND_TIMEOUT_MS` deadline, joined by the provider models of
 * `MODELS` (`backend/provider-models.ts`), behind the embedding cache (`backend/embedding-cache.ts`,
 * `EMBEDDING_CACHE_TTL_SECONDS`, 0 turns it off). URL inputs are vetted through the `DOH_URL` resolver.
 */
import { cacheApiStore } from './backend/cache-api-store.ts';
import { withEmbeddingCache, type CacheReport } from './backend/embedding-cache.ts';
import { createHfClassifierClient } from './backend/hf-classifier.ts';
import { createHfClient, type HfOptions } from './backend/hf.ts';
import type { IsolateState } from './backend/isolate-state.ts';
import { createBackendPool } from './backend/load-balancer.ts';
import { modelCatalog, type ModelCatalog } from './backend/model-catalog.ts';
import { parseModels, type ModelConfig } from './backend/provider-models.ts';
import { routeModels, type ProviderClient } from './backend/routed.ts';
import type { Backend, BackendClient } from './backend/types.ts';
import type { Bindings } from './env.ts';
import { withUrlPolicy, type Modalities } from './modalities.ts';
import { TaskStore, type TaskBindings } from './tasks/store.ts';
import type { Timer } from './timer.ts';

export interface Services {
  readonly modalities: Modalities;
  readonly backend: Backend;
  readonly models: ModelCatalog;
  /** The tasks this work may read and change: the one place a request becomes a task store. */
  readonly tasks: TaskStore;
  readonly time: Timer;
}

/** Builds the client of one backend; `timeoutMs` bounds each inference call. */
export type BackendFactory = (url: string, timeoutMs: number | undefined) => BackendClient;

/** What an app is assembled from, once per isolate. */
export interface Assembly {
  readonly modalities: Modalities;
  readonly backend: BackendFactory;
  readonly state: IsolateState;
}

/** Where the work reports: stage times, and the embedding cache's hits and misses. */
export interface Reporting {
  readonly time: Timer;
  readonly cache: CacheReport;
}

/** The backend URLs configured: `BACKEND_URLS` wins over `BACKEND_URL`; none means every call is a 503. */
export function backendUrls(env: Partial<Bindings> | undefined): string[] {
  const list = env?.BACKEND_URLS?.trim() ? env.BACKEND_URLS : (env?.BACKEND_URL ?? '');
  return [
    ...new Set(
      list
        .split(',')
        .map((url) => url.trim())
        .filter((url) => url !== ''),
    ),
  ];
}

function timeoutOf(env: Partial<Bindings> | undefined): number | undefined {
  const value = Number(env?.BACKEND_TIMEOUT_MS);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/** A day: embeddings of a model version do not change; a new version should get a new model name. */
export const defaultCacheTtlSeconds = 86_400;

/** The TTL, or 0 (no cache) when turned off or outside Workers (the app built in Node has no `caches.default`). */
function cacheTtlOf(env: Partial<Bindings> | undefined): number {
  if (typeof caches === 'undefined') return 0;
  const value = Number(env?.EMBEDDING_CACHE_TTL_SECONDS ?? defaultCacheTtlSeconds);
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

/** The client of one provider model: feature extraction embeds, the classification tasks answer labels. */
function providerClient(id: string, config: ModelConfig, options: HfOptions): ProviderClient {
  return config.task === 'feature-extraction'
    ? createHfClient(id, config, options)
    : createHfClassifierClient(id, config, options);
}

function backendOf(
  env: Partial<Bindings> | undefined,
  assembly: Assembly,
  providers: ReadonlyMap<string, ModelConfig>,
  report: CacheReport,
): Backend {
  const timeoutMs = timeoutOf(env);
  const members = backendUrls(env).map((url) => assembly.backend(url, timeoutMs));
  const pool = createBackendPool(members, assembly.state.balancer);
  const hfOptions = { token: env?.HF_TOKEN, timeoutMs };
  const served = [...providers].map(([id, config]) => [id, providerClient(id, config, hfOptions)] as const);
  const backend = routeModels(pool, new Map(served));
  const ttl = cacheTtlOf(env);
  return ttl === 0 ? backend : withEmbeddingCache(backend, cacheApiStore(caches.default, ttl), report);
}

export function createServices(
  env: Partial<Bindings> | undefined,
  assembly: Assembly,
  reporting: Reporting,
): Services {
  const providers = parseModels(env?.MODELS);
  const backend = backendOf(env, assembly, providers, reporting.cache);
  return {
    modalities: withUrlPolicy(assembly.modalities, { dohUrl: env?.DOH_URL, memo: new Map() }),
    backend,
    models: modelCatalog(providers, backend),
    // Outside workerd (the app built in Node for its OpenAPI document) there are no bindings and no task routes run.
    tasks: new TaskStore(env as TaskBindings),
    time: reporting.time,
  };
}
