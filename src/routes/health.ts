/**
 * @module
 * Probes: `/healthz` says the Worker is alive (no I/O); `/readyz` says the inference backend is ready to serve.
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
    if (await c.var.services.backend.ready()) return c.json({ status: 'ready' }, 200);
    throw new ApiError(503, 'backend-unavailable', 'the inference backend is not ready', {
      headers: { 'Retry-After': String(defaultRetryAfterSeconds) },
    });
  });
