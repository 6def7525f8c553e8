/**
 * @module
 * What the edge's work needs besides its input, as one object: the adapters, the inference backend, what is known
 * of models (before calling them, and from their metadata), the tasks, and a timer for `Server-Timing`. A request
 * gets it as `c.var.services` (`middleware/services.ts`); {@link createServices} builds it from the Worker's
 * environment and the tenant the work is for, so that work outside a request (a queue consumer, a scheduled job)
 * can have the same. Everything tenant-owned is derived here from that one {@link Tenant}: the task store and the
 * embedding cache's partition (`EMBEDDING_CACHE_SCOPE=shared` opts into one cache for all tenants).
 *
 * The backend: a pool (`backend/load-balancer.ts`) over `BACKEND_URLS` (comma-separated) or else the one
 * `BACKEND_URL`, each member called with the `BACKEND_TIMEOUT_MS` deadline, joined by the provider models of
 * `MODELS` (`backend/provider-models.ts`), behind the embedding cache (`backend/embedding-cache.ts`,
 * `EMBEDDING_CACHE_TTL_SECONDS`, 0 turns it off). URL inputs are vetted through the `DOH_URL` resolver.
 */
import { FileStore } from './batches/files.ts';
import { batchLimits } from './batches/limits.ts';
import { BatchStore, type BatchBindings } from './batches/store.ts';
import { cacheApiStore } from './backend/cache-api-store.ts';
import { withEmbeddingCache, type CacheReport } from './backend/embedding-cache.ts';
import { createHfClassifierClient } from './backend/hf-classifier.ts';
import { createHfClient, type HfOptions } from './backend/hf.ts';
import type { BackendCredentials } from './backend/http.ts';
import { parseBackendModels, type BackendModels } from './backend/backend-models.ts';
import type { IsolateState } from './backend/isolate-state.ts';
import { createBackendPool } from './backend/load-balancer.ts';
import { modelCatalog, type ModelCatalog } from './backend/model-catalog.ts';
import { parseModels, type ModelConfig } from './backend/provider-models.ts';
import { routeModels, type ProviderClient } from './backend/routed.ts';
import type { Backend, BackendClient } from './backend/types.ts';
import type { Defer } from './defer.ts';
import type { Bindings } from './env.ts';
import { log } from './log.ts';
import { parseKeyHashes } from './middleware/api-keys.ts';
import { withUrlPolicy, type Modalities } from './modalities.ts';
import { TaskStore, type TaskBindings } from './tasks/store.ts';
import { tenantDirectory, type TenantDirectory } from './tenants/directory.ts';
import type { Tenant } from './tenants/tenant.ts';
import type { Timer } from './timer.ts';
import { UrlBudget, urlBudgetLimits } from './inputs/url-budget.ts';

export interface Services {
  readonly modalities: Modalities;
  readonly backend: Backend;
  readonly models: ModelCatalog;
  /**
   * The tenant's tasks, which this work may read and change: the one place a request becomes a task store. Reading
   * it without a tenant is a bug (a route outside auth reaching tasks) and throws.
   */
  readonly tasks: TaskStore;
  /** The tenant's files (batch inputs and results, in R2); like `tasks`, only with a tenant. */
  readonly files: FileStore;
  /** The tenant's batches; like `tasks`, only with a tenant. */
  readonly batches: BatchStore;
  /** Every tenant, for the admin routes (auth lets only admin keys reach them). */
  readonly tenants: TenantDirectory;
  readonly time: Timer;
}

/**
 * Builds the client of one backend; `timeoutMs` bounds each inference call; `credentials` are shown to it;
 * `configured` is what `BACKEND_MODELS` says of its models.
 */
export type BackendFactory = (
  url: string,
  timeoutMs: number | undefined,
  credentials: BackendCredentials,
  configured: BackendModels,
) => BackendClient;

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
  /** Where work goes that need not delay the answer (a request's `waitUntil`); default: it runs on its own. */
  readonly defer?: Defer;
  /** Bulk work (a batch's line): it reads the embedding cache but writes nothing to it. */
  readonly bulk?: boolean;
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

/** Names no tenant can have (they start with a letter or digit): the partition of a cache all tenants share. */
const sharedPartition = '*';

let warnedScope = false;

/** The embedding cache's partition: the tenant's (default) or the shared one; none without a tenant. */
function cachePartition(env: Partial<Bindings> | undefined, tenant: Tenant | undefined): string | undefined {
  const scope = env?.EMBEDDING_CACHE_SCOPE?.trim() || 'tenant';
  if (scope !== 'tenant' && scope !== 'shared' && !warnedScope) {
    // The safe reading of a typo: partitioned (slower at worst, never leaking).
    log('warn', 'EMBEDDING_CACHE_SCOPE is neither "tenant" nor "shared"; the cache stays per tenant');
    warnedScope = true;
  }
  if (tenant === undefined) return undefined;
  return scope === 'shared' ? sharedPartition : tenant.name;
}

/** What the environment alone decides: the provider models and the backend (pool and providers, no cache). */
interface Configured {
  readonly providers: ReadonlyMap<string, ModelConfig>;
  readonly configuredModels: BackendModels;
  readonly backend: Backend;
}

function configure(env: Partial<Bindings> | undefined, assembly: Assembly): Configured {
  const providers = parseModels(env?.MODELS);
  const timeoutMs = timeoutOf(env);
  const credentials = {
    token: env?.BACKEND_TOKEN || undefined,
    accessClientId: env?.BACKEND_ACCESS_CLIENT_ID || undefined,
    accessClientSecret: env?.BACKEND_ACCESS_CLIENT_SECRET || undefined,
  };
  const configuredModels = parseBackendModels(env?.BACKEND_MODELS);
  const members = backendUrls(env).map((url) =>
    assembly.backend(url, timeoutMs, credentials, configuredModels),
  );
  const pool = createBackendPool(members, assembly.state.balancer);
  const hfOptions = { token: env?.HF_TOKEN, timeoutMs };
  const served = [...providers].map(([id, config]) => [id, providerClient(id, config, hfOptions)] as const);
  return { providers, configuredModels, backend: routeModels(pool, new Map(served)) };
}

/**
 * {@link configure}'s answer, once per environment object and app: Workers hand an isolate's every request the same
 * `env`, so what it decides is built on the first request, not on each (the clients keep no state of their own:
 * breakers, budgets and metadata live in the isolate's state).
 */
function configured(env: Partial<Bindings> | undefined, assembly: Assembly): Configured {
  if (env === undefined) return configure(env, assembly);
  const kept = assembly.state.configured.get(env) as Configured | undefined;
  if (kept !== undefined) return kept;
  const fresh = configure(env, assembly);
  assembly.state.configured.set(env, fresh);
  return fresh;
}

/** The configured backend behind the embedding cache (unless it is off, or the work has no tenant). */
function cached(
  env: Partial<Bindings> | undefined,
  backend: Backend,
  cache: { report: CacheReport; partition: string | undefined },
  reporting: Reporting,
): Backend {
  const ttl = cacheTtlOf(env);
  if (ttl === 0 || cache.partition === undefined) return backend;
  const work = {
    time: reporting.time,
    writes: reporting.bulk !== true,
    ...(reporting.defer ? { defer: reporting.defer } : {}),
  };
  return withEmbeddingCache(backend, cacheApiStore(caches.default, ttl), cache.report, cache.partition, work);
}

/** What a tenant owns, which only work that passed auth may reach. */
function owned<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} are reached only by requests that passed auth (/v1)`);
  return value;
}

export function createServices(
  env: Partial<Bindings> | undefined,
  assembly: Assembly,
  reporting: Reporting,
  /** Whose the work is: auth's choice for a `/v1` request; undefined elsewhere (probes, docs: no tasks). */
  tenant: Tenant | undefined,
): Services {
  const { providers, configuredModels, backend: configuredBackend } = configured(env, assembly);
  // Outside workerd (the app built in Node for its OpenAPI document) there are no bindings and no task routes run.
  const bindings = env as TaskBindings;
  const tasks = tenant && new TaskStore(bindings, tenant, assembly.state.heads);
  const batchBindings = env as BatchBindings;
  const files = tenant && new FileStore(batchBindings.BATCH_FILES, tenant);
  const batches = files && new BatchStore(batchBindings, files.tenant, files, batchLimits(env));
  const partition = cachePartition(env, tenant);
  const backend = cached(env, configuredBackend, { report: reporting.cache, partition }, reporting);
  return {
    modalities: withUrlPolicy(assembly.modalities, {
      dohUrl: env?.DOH_URL,
      memo: new Map(),
      budget: new UrlBudget(urlBudgetLimits(env)),
    }),
    backend,
    models: modelCatalog(providers, backend, {
      configured: configuredModels,
      modalities: assembly.modalities,
    }),
    get tasks() {
      return owned(tasks, 'tasks');
    },
    get files() {
      return owned(files, 'files');
    },
    get batches() {
      return owned(batches, 'batches');
    },
    tenants: tenantDirectory(
      () => parseKeyHashes(env?.API_KEY_HASHES),
      (other) => new TaskStore(bindings, other).count(),
    ),
    time: reporting.time,
  };
}
