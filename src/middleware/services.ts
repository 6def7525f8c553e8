/**
 * @module
 * Hands handlers their services as context variables: the registered adapters and the inference backend, a pool
 * (`backend/pool.ts`) over `BACKEND_URLS` (comma-separated) or else the one `BACKEND_URL`, each member called with
 * the `BACKEND_TIMEOUT_MS` deadline. Handlers reach them as `c.var.modalities` and `c.var.backend`, never by
 * import, so an app can be assembled with other adapters or another backend.
 */
import type { MiddlewareHandler } from 'hono';
import { createBackendPool } from '../backend/pool.ts';
import type { BackendClient } from '../backend/types.ts';
import type { AppEnv, Bindings } from '../env.ts';
import type { Modalities } from '../modalities.ts';

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

export function services(options: ServicesOptions): MiddlewareHandler<AppEnv> {
  return async function services(c, next) {
    c.set('modalities', options.modalities);
    const timeoutMs = timeoutOf(c.env);
    c.set('backend', createBackendPool(backendUrls(c.env).map((url) => options.backend(url, timeoutMs))));
    await next();
  };
}
