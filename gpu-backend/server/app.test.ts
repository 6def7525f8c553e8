/**
 * The Hono app in process, around registries that cannot be reached over HTTP in those states: still loading,
 * failing inside, or an adapter rejecting input.
 */
import { describe, expect, it } from 'vitest';
import { AdapterInputError } from '../../adapters/errors.ts';
import { emptyRegistry } from '../../test/support/backend/bare-config.ts';
import type { ModelRegistry } from '../runtime/registry.ts';
import { createApp } from './app.ts';
import type { AppDeps } from './deps.ts';

function app(registry: ModelRegistry, overrides: Partial<AppDeps> = {}) {
  const logged: string[] = [];
  const deps: AppDeps = {
    registry,
    version: '9.9.9',
    provider: 'cpu',
    isDraining: () => false,
    logError: (line) => logged.push(line),
    ...overrides,
  };
  return { app: createApp(deps), logged };
}

const loading = emptyRegistry;

/** A registry whose model lookup throws `error`: a stand-in for failures deep inside a model run. */
function throwing(error: Error): ModelRegistry {
  const registry = loading();
  registry.get = () => {
    throw error;
  };
  return registry;
}

describe('createApp', () => {
  it('is live but not ready while models load, and not ready while draining', async () => {
    const { app: loadingApp } = app(loading());
    expect((await loadingApp.request('/v2/health/live')).status).toBe(200);
    const ready = await loadingApp.request('/v2/health/ready');
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ ready: false, error: 'models are loading' });
    const { app: draining } = app(loading(), { isDraining: () => true });
    expect(await (await draining.request('/v2/health/ready')).json()).toEqual({
      ready: false,
      error: 'the server is shutting down',
    });
  });

  it('answers 413 beyond the body limit', async () => {
    const { app: small } = app(loading(), { maxBodyBytes: 100 });
    const response = await small.request('/v2/models/m/infer', { method: 'POST', body: 'x'.repeat(101) });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: 'request body is larger than 100 bytes' });
  });

  it('maps an adapter’s input error to 400 with its message and code', async () => {
    const { app: adapterApp } = app(throwing(new AdapterInputError('malformed', 'the PNG is truncated')));
    const response = await adapterApp.request('/v2/models/m/infer', { method: 'POST', body: '{}' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'the PNG is truncated', code: 'malformed' });
  });

  it('an unexpected error is a logged 500 with a generic message', async () => {
    const { app: broken, logged } = app(throwing(new Error('secret internal detail')));
    const response = await broken.request('/v2/models/m');
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: 'internal server error' });
    expect(logged).toEqual([expect.stringMatching(/^GET \/v2\/models\/m: Error: secret internal detail/)]);
  });
});

describe('request logs', () => {
  it('logs each request as a JSON line, continuing the caller’s traceparent', async () => {
    const lines: string[] = [];
    const { app: traced } = app(loading(), { logRequest: (line) => lines.push(line) });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await traced.request('/v2/health/live', {
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    await traced.request('/v2/nowhere');
    const [first, second] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(first).toMatchObject({ level: 'info', message: 'request', traceId, parentId: '00f067aa0ba902b7' });
    expect(first).toMatchObject({ method: 'GET', path: '/v2/health/live', status: 200 });
    expect(second).toMatchObject({
      level: 'warn',
      status: 404,
      traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(second?.traceId).not.toBe(traceId);
    expect(second).not.toHaveProperty('parentId');
  });
});
