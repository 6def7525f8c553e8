/**
 * @module
 * `/readyz` warms the isolate: once the backend is ready it reads every model's metadata, so the first request of a
 * model asks the backend for its infer only, not its metadata first (the edge's first-request cost, issue 31).
 */
import { afterEach, expect, it, vi } from 'vitest';
import { bindings } from '../../test/edge/helpers.ts';
import { tinyTextModel } from '../../test/edge/tiny-model.ts';
import { createApp } from '../app.ts';

const { metadata, inferred } = tinyTextModel('warm-text');

/** A KServe backend in a `fetch` stub; `ready` says what its readiness probe answers. Returns the paths asked. */
function fakeBackend(ready: boolean): string[] {
  const seen: string[] = [];
  vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) => {
    const { pathname } = new URL(new Request(input, init).url);
    seen.push(pathname);
    if (pathname === '/v2/health/ready')
      return Promise.resolve(new Response(null, { status: ready ? 200 : 503 }));
    const body = pathname.endsWith('/infer')
      ? inferred
      : pathname === '/v2/repository/index'
        ? [{ name: 'warm-text', version: '1', state: 'READY' }]
        : metadata;
    return Promise.resolve(Response.json(body));
  });
  return seen;
}

afterEach(() => vi.unstubAllGlobals());

const embed = { method: 'POST', headers: { 'content-type': 'application/json' } };

it("reads the models' metadata before it answers ready, so a first request asks only for its infer", async () => {
  const app = createApp();
  const env = bindings({ BACKEND_URL: 'http://warm.test' });
  const seen = fakeBackend(true);
  const ready = await app.request('/readyz', {}, env);
  expect(ready.status).toBe(200);
  expect(seen).toEqual(['/v2/health/ready', '/v2/repository/index', '/v2/models/warm-text']);

  seen.length = 0;
  const body = JSON.stringify({ model: 'warm-text', input: `first ${crypto.randomUUID()}` });
  const response = await app.request('/v1/embeddings', { ...embed, body }, env);
  expect(response.status).toBe(200);
  expect(seen).toEqual(['/v2/models/warm-text/infer']);
});

it('reads no metadata while the backend is not ready, and answers 503', async () => {
  const app = createApp();
  const seen = fakeBackend(false);
  const response = await app.request('/readyz', {}, bindings({ BACKEND_URL: 'http://cold.test' }));
  expect(response.status).toBe(503);
  expect(seen).toEqual(['/v2/health/ready']);
});
