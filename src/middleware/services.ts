/**
 * @module
 * Hands handlers their services as context variables: the registered adapters and a backend client for this
 * request's `BACKEND_URL`. Handlers reach them as `c.var.modalities` and `c.var.backend`, never by import, so an
 * app can be assembled with other adapters or another backend.
 */
import type { MiddlewareHandler } from 'hono';
import type { BackendClient } from '../backend/types.ts';
import type { AppEnv } from '../env.ts';
import type { Modalities } from '../modalities.ts';

export interface ServicesOptions {
  readonly modalities: Modalities;
  readonly backend: (url: string) => BackendClient;
}

export function services(options: ServicesOptions): MiddlewareHandler<AppEnv> {
  return async function services(c, next) {
    c.set('modalities', options.modalities);
    // Without BACKEND_URL every backend call fails as `unavailable` (503), while /healthz still answers.
    c.set('backend', options.backend(c.env?.BACKEND_URL ?? ''));
    await next();
  };
}
