/**
 * @module
 * The Worker's environment, typed once: the bindings of wrangler.toml (generated into
 * `worker-configuration.d.ts`), optional secrets, and the per-request variables middleware hand to handlers.
 */
import type { RequestIdVariables } from 'hono/request-id';
import type { TimingVariables } from 'hono/timing';
import type { Trace } from '../adapters/shared/traceparent.ts';
import type { KeyScope } from './middleware/api-keys.ts';
import type { Services } from './services.ts';
import type { Tenant } from './tenants/tenant.ts';

export interface Bindings extends Omit<Env, 'RATE_LIMITER'> {
  /**
   * The API keys' SHA-256 digests, `name:sha256hex[:scope[:tenant]]` comma-separated, set as a secret
   * (`wrangler secret put API_KEY_HASHES`). When unset the API is open, which is meant for local development only.
   */
  readonly API_KEY_HASHES?: string;
  /** Several inference backends, comma-separated; when set, `BACKEND_URL` is ignored. */
  readonly BACKEND_URLS?: string;
  /**
   * The backend's shared bearer token (`MODALFUSE_BACKEND_TOKEN` there), a secret (`wrangler secret put BACKEND_TOKEN`),
   * sent to every backend of the pool; unset: no credential is sent.
   */
  readonly BACKEND_TOKEN?: string;
  /**
   * A Cloudflare Access service token (secrets) for a backend behind an Access application with a Service Auth
   * policy: sent as `CF-Access-Client-Id` / `CF-Access-Client-Secret`, both or neither.
   */
  readonly BACKEND_ACCESS_CLIENT_ID?: string;
  readonly BACKEND_ACCESS_CLIENT_SECRET?: string;
  /** Deadline of one inference call to one backend, in milliseconds (default 60 000). */
  readonly BACKEND_TIMEOUT_MS?: string;
  /** How long an embedding stays in the edge cache, in seconds (default a day); `0` turns the cache off. */
  readonly EMBEDDING_CACHE_TTL_SECONDS?: string;
  /** `tenant` (default): each tenant's embeddings cached apart; `shared`: one cache for all tenants. */
  readonly EMBEDDING_CACHE_SCOPE?: string;
  /**
   * What the edge is told of the backend's models (JSON, see `backend/backend-models.ts`): modality, embedding
   * space, output, dimension, batch size, for a plain Triton / KServe server whose metadata lacks them.
   */
  readonly BACKEND_MODELS?: string;
  /** Origins allowed to call the API from a browser (CORS), comma-separated, or `*`; unset: none. */
  readonly CORS_ORIGINS?: string;
  /** Models served by a provider instead of the backend (JSON, see `backend/provider-models.ts`). */
  readonly MODELS?: string;
  /** Access token for the provider models' endpoints (a secret). */
  readonly HF_TOKEN?: string;
  /** Per-key rate limits (`[[ratelimits]]`); an app run without the binding has none. */
  readonly RATE_LIMITER?: RateLimit;
  /** Where `/docs` loads swagger-ui-dist from (a folder holding `swagger-ui-dist@<version>/`); default: the Worker. */
  readonly DOCS_ASSETS_URL?: string;
  /** Batch limits and pacing (`batches/limits.ts`): whole numbers, as strings. */
  readonly BATCH_MAX_FILE_BYTES?: string;
  readonly BATCH_MAX_LINES?: string;
  readonly BATCH_MAX_LINE_BYTES?: string;
  readonly BATCH_LINES_PER_MESSAGE?: string;
  readonly BATCH_RETRY_SECONDS?: string;
  readonly BATCH_RETRY_MAX_SECONDS?: string;
  /** DNS-over-HTTPS JSON endpoint that vets the hosts of URL inputs (default Cloudflare's). */
  readonly DOH_URL?: string;
  /** URL inputs one request fetches at once (default 6) and downloads in all, in bytes (default 32 MiB). */
  readonly URL_FETCH_CONCURRENCY?: string;
  readonly URL_FETCH_MAX_BYTES?: string;
}

export interface AppVariables extends RequestIdVariables, TimingVariables {
  /** The name of the API key the request came with (never the key); unset in open mode. */
  apiKey?: string;
  /** The scope of that key; unset in open mode (which may do what `all` may). */
  keyScope?: KeyScope;
  /** Whose tasks and cache the request reaches (set by auth on `/v1`; see `tenants/tenant.ts`). */
  tenant?: Tenant;
  /** Set by auth when the request is a batch's line (`batches/identity.ts`): bulk work. */
  batchLine?: true;
  /** The request's W3C trace (`middleware/request-log.ts`). */
  trace?: Trace;
  /** What handlers work with: adapters, backend, models, tasks, timer (see `services.ts`). */
  services: Services;
}

export interface AppEnv {
  Bindings: Bindings;
  Variables: AppVariables;
}
