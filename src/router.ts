/**
 * @module
 * Every route group is an `OpenAPIHono` typed with {@link AppEnv} whose validation failures answer problem+json;
 * mounted with `app.route()`, their definitions merge into one `/openapi.json`.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './env.ts';
import { validationHook } from './error-handler.ts';

export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
}
