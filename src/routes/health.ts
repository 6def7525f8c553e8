/**
 * @module
 * Probes: `/healthz` says the Worker is alive (no I/O); `/readyz` says the inference backend is ready to serve, once
 * this isolate has read the models' metadata (docs/warmup.md).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { defaultRetryAfterSeconds } from '../backend/errors.ts';
import { json, problems } from '../openapi.ts';
import { ApiError } from '../problem.ts';
import { createRouter } from '../router.ts';

const StatusSchema = z.object({ status: z.string().openapi({ example: 'ok' }) }).openapi('Status');

const healthz = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['health'],
  summary: 'Liveness: the Worker answers.',
  security: [],
  responses: { 200: json(StatusSchema, 'Alive.') },
});

const readyz = createRoute({
  method: 'get',
  path: '/readyz',
  tags: ['health'],
  summary: 'Readiness: the inference backend answers its readiness probe.',
  security: [],
  responses: { 200: json(StatusSchema, 'Ready.'), ...problems(503) },
});

export const healthRoutes = createRouter()
  .openapi(healthz, (c) => c.json({ status: 'ok' }, 200))
  .openapi(readyz, async (c) => {
    const { backend } = c.var.services;
    if (await backend.ready()) {
      // Warms this isolate: every model's metadata is read now and kept (`ttl-cache.ts`), so a user's first request
      // does not wait for its model's. Best effort: the backend said it is ready, and a request reads it anyway.
      await backend.models().catch(() => undefined);
      return c.json({ status: 'ready' }, 200);
    }
    throw new ApiError(503, 'backend-unavailable', 'the inference backend is not ready', {
      headers: { 'Retry-After': String(defaultRetryAfterSeconds) },
    });
  });
