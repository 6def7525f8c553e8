/**
 * @module
 * The Worker's environment, typed once: the bindings of wrangler.toml (generated into
 * `worker-configuration.d.ts`), optional secrets, and the per-request variables middleware hand to handlers.
 */
import type { RequestIdVariables } from 'hono/request-id';
import type { TimingVariables } from 'hono/timing';
import type { BackendClient } from './backend/types.ts';
import type { Modalities } from './modalities.ts';

export interface Bindings extends Env {
  /**
   * Comma-separated API keys, set as a secret (`wrangler secret put API_KEYS`), never as a var. When unset the
   * API is open, which is meant for local development only.
   */
  readonly API_KEYS?: string;
  /** Where `/docs` loads swagger-ui-dist from (a folder holding `swagger-ui-dist@<version>/`); default jsDelivr. */
  readonly DOCS_ASSETS_URL?: string;
}

export interface AppVariables extends RequestIdVariables, TimingVariables {
  /** The inference backend, built from `BACKEND_URL` for this request. */
  backend: BackendClient;
  /** The registered adapters, by modality name. */
  modalities: Modalities;
}

export interface AppEnv {
  Bindings: Bindings;
  Variables: AppVariables;
}
