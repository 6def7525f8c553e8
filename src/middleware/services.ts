/**
 * @module
 * Hands handlers their services as context variables: the registered adapters and the inference backend, a pool
 * (`backend/pool.ts`) over `BACKEND_URLS` (comma-separated) or else the one `BACKEND_URL`, each member called with
 * the `BACKEND_TIMEOUT_MS` deadline, joined by the provider models of `MODELS` (`backend/model-config.ts`), behind the embedding cache (`backend/cached.ts`, `EMBEDDING_CACHE_TTL_SECONDS`,
 * 0 turns it off) whose hits and misses go to `Server-Timing` as `cache` and `cache-hits`. Handlers reach them as `c.var.modalities` and `c.var.backend`, never by
 * import, so an app can be assembled with other adapters or another backend. URL inputs are vetted through the
 * `DOH_URL` resolver (default Cloudflare's).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { setMetric } from 'hono/timing';
import { cacheApiStore } from '../backend/cache-api-store.ts';
import { withEmbeddingCache } from '../backend/embedding-cache.ts';
import { createHfClient, type HfOptions } from '../backend/hf.ts';
import { createHfClassifierClient } from '../backend/hf-classifier.ts';
import { parseModels, type ModelConfig } from '../backend/provider-models.ts';
import { createBackendPool } from '../backend/load-balancer.ts';
import { routeModels } from '../backend/routed.ts';
import type { BackendClient } from '../backend/types.ts';
import type { AppEnv, Bindings } from '../env.ts';
import { withUrlPolicy, type Modalities } from '../modalities.ts';

/** Builds the client of one backend; `timeoutMs` bounds each inference call. */
export type BackendFactory = (url: string, timeoutMs: number | undefined) => BackendClient;

export interface ServicesOptions {
  readonly modalities: Modalities;
  readonly backend: BackendFactory;
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

function reportCache(c: Context<AppEnv>, hits: number, misses: number): void {
  if (hits + misses === 0) return;
  setMetric(c, 'cache', misses === 0 ? 'hit' : hits === 0 ? 'miss' : 'partial');
  setMetric(c, 'cache-hits', `${hits}/${hits + misses}`);
}

/** The client of one provider model: feature extraction embeds, the classification tasks answer labels. */
function providerClient(id: string, config: ModelConfig, options: HfOptions): BackendClient {
  return config.task === 'feature-extraction'
    ? createHfClient(id, config, options)
    : createHfClassifierClient(id, config, options);
}

export function services(options: ServicesOptions): MiddlewareHandler<AppEnv> {
  return async function services(c, next) {
    c.set('modalities', withUrlPolicy(options.modalities, { dohUrl: c.env?.DOH_URL, memo: new Map() }));
    const timeoutMs = timeoutOf(c.env);
    const pool = createBackendPool(backendUrls(c.env).map((url) => options.backend(url, timeoutMs)));
    const hfOptions = { token: c.env?.HF_TOKEN, timeoutMs };
    const served = [...parseModels(c.env?.MODELS)].map(
      ([id, config]) => [id, providerClient(id, config, hfOptions)] as const,
    );
    const backend = routeModels(pool, new Map(served));
    const ttl = cacheTtlOf(c.env);
    let hits = 0;
    let misses = 0;
    const count = (found: number, missed: number) => {
      hits += found;
      misses += missed;
    };
    c.set(
      'backend',
      ttl === 0 ? backend : withEmbeddingCache(backend, cacheApiStore(caches.default, ttl), count),
    );
    await next();
    reportCache(c, hits, misses);
  };
}
