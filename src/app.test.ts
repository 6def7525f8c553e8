/**
 * @module
 * The app's cross-cutting behaviour, through the Worker's real entry point inside workerd: request ids, timing,
 * problem+json for every failure, the body cap, auth, probes and the OpenAPI document.
 */
import { createExecutionContext } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import { bindings, call, expectProblem, postJson } from '../test/edge/helpers.ts';

describe('every response', () => {
  it('carries x-request-id and Server-Timing, through the Worker entry', async () => {
    const response = await exports.default.fetch(new Request('http://edge.test/healthz'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('server-timing')).toMatch(/^total;dur=[\d.]+;desc="total"$/);
  });

  it("keeps a client's valid request id and replaces an invalid one", async () => {
    const kept = await call('/healthz', { headers: { 'x-request-id': 'trace-42_A=' } });
    expect(kept.headers.get('x-request-id')).toBe('trace-42_A=');
    const replaced = await call('/healthz', { headers: { 'x-request-id': 'no spaces allowed' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const long = await call('/healthz', { headers: { 'x-request-id': 'x'.repeat(300) } });
    expect(long.headers.get('x-request-id')).toHaveLength(36);
  });
});

describe('errors are problem+json', () => {
  it('for an unknown route', async () => {
    const problem = await expectProblem(await call('/v2/nothing'), 404);
    expect(problem).toMatchObject({ code: 'no-route', instance: '/v2/nothing', title: 'Not Found' });
  });

  it('for malformed JSON, an empty body and a wrong shape (400)', async () => {
    const malformed = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id": ' };
    expect(await expectProblem(await call('/v1/tasks', malformed), 400)).toMatchObject({
      code: 'bad-request',
    });
    const empty = { method: 'POST', headers: { 'content-type': 'application/json' } };
    await expectProblem(await call('/v1/tasks', empty), 400);
    await expectProblem(await call('/v1/tasks', { method: 'POST' }), 400);
    const wrong = await expectProblem(await postJson('/v1/tasks', { id: 7, labels: 'red' }), 400);
    expect(wrong).toMatchObject({ code: 'invalid-request' });
    expect(wrong.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'id' }),
        expect.objectContaining({ path: 'labels' }),
      ]),
    );
  });

  it('for a body of another media type (415)', async () => {
    const init = { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' };
    await expectProblem(await call('/v1/tasks', init), 415);
    await expectProblem(await call('/v1/classify', init), 415);
  });

  it('for a body over the cap (413), before reading it', async () => {
    const app = createApp({ maxBodyBytes: 64 });
    const request = new Request('http://edge.test/v1/tasks', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'big', labels: ['a'.repeat(100), 'b'] }),
    });
    const problem = await expectProblem(await app.fetch(request, bindings(), createExecutionContext()), 413);
    expect(problem.code).toBe('body-too-large');
  });
});

describe('probes', () => {
  it('/readyz answers 503 with Retry-After while the backend is down', async () => {
    const response = await call('/readyz');
    expect((await expectProblem(response, 503)).code).toBe('backend-unavailable');
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('/v1/models answers 503 with Retry-After while the backend is down', async () => {
    const response = await call('/v1/models');
    await expectProblem(response, 503);
    expect(response.headers.get('retry-after')).toBeTruthy();
  });

  it('a missing BACKEND_URL is a 503, not a crash', async () => {
    await expectProblem(await call('/readyz', {}, { BACKEND_URL: '' }), 503);
    await expectProblem(await call('/v1/models', {}, { BACKEND_URL: '' }), 503);
  });
});

describe('/openapi.json', () => {
  it('documents every route, the problem schema and the error statuses', async () => {
    const response = await call('/openapi.json');
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths).sort()).toEqual([
      '/healthz',
      '/readyz',
      '/v1/batches',
      '/v1/batches/{id}',
      '/v1/batches/{id}/cancel',
      '/v1/classify',
      '/v1/embeddings',
      '/v1/embeddings/fused',
      '/v1/files',
      '/v1/files/{id}',
      '/v1/files/{id}/content',
      '/v1/models',
      '/v1/models/{id}',
      '/v1/tasks',
      '/v1/tasks/{id}',
      '/v1/tasks/{id}/evaluate',
      '/v1/tasks/{id}/examples',
      '/v1/tasks/{id}/examples/{example}',
      '/v1/tasks/{id}/export',
      '/v1/tasks/{id}/import',
      '/v1/tasks/{id}/refit',
      '/v1/tenants',
    ]);
    expect(Object.keys(document.paths['/v1/classify']?.post?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '400', '404', '415', '422', '503']),
    );
    expect(document.components.schemas).toHaveProperty('Problem');
  });
});
