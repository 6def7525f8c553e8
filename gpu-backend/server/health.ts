/**
 * @module
 * Liveness, readiness and server metadata. Readiness is strict as in Triton: every model of the repository
 * must be READY, and a draining server is not ready.
 */
import { Hono } from 'hono';
import type { AppDeps } from './deps.ts';
import { serverMetadata } from './metadata.ts';

export function healthRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  app.get('/', (c) => c.json(serverMetadata(deps.version, deps.provider)));
  app.get('/health/live', (c) => c.json({ live: true }));
  app.get('/health/ready', (c) => {
    if (deps.isDraining()) return c.json({ ready: false, error: 'the server is shutting down' }, 503);
    if (!deps.registry.allReady()) {
      const waiting = deps.registry.notReady();
      const error = waiting.length > 0 ? `models not ready: ${waiting.join('; ')}` : 'models are loading';
      return c.json({ ready: false, error }, 503);
    }
    return c.json({ ready: true });
  });
  return app;
}
