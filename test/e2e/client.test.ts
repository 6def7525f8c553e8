/**
 * @module
 * The typed client (`client/`) against the Worker and the real backend: typed requests and answers for
 * embeddings, models, tasks, examples, classify and evaluate, the key sent as a Bearer token, and failures as
 * {@link ApiError}s whose messages carry the problem's title and detail, an OpenAI-shaped error's message, or
 * the address that could not be reached.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { ApiError, createModalFuseClient, ok, withRetries } from '../../client/index.ts';
import { sha256 } from '../../src/middleware/api-keys.ts';
import { fetchWorker } from './helpers.ts';

const hex = async (key: string) =>
  Array.from(await sha256(key), (byte) => byte.toString(16).padStart(2, '0')).join('');

async function clientWith(apiKey: string | undefined) {
  const bindings = { ...env, API_KEY_HASHES: `client-test:${await hex('client-key')}` };
  const transport = (input: RequestInfo | URL, init?: RequestInit) =>
    fetchWorker(new Request(input, init), bindings);
  return createModalFuseClient({ baseUrl: 'http://edge.test/', apiKey, fetch: transport as typeof fetch });
}

const examples = [
  { label: 'red', inputs: { text: 'a ripe red strawberry' } },
  { label: 'blue', inputs: { text: 'a clear blue sky' } },
];

describe('the typed client', () => {
  it('embeds, lists models, teaches, classifies and evaluates with typed answers', async () => {
    const api = await clientWith('client-key');
    const embedded = await api.embeddings.v1.embeddings.$post({
      json: { model: 'text-hash-256', input: ['a red apple'], dimensions: 16, encoding_format: 'float' },
    });
    expect(embedded.status).toBe(200);
    if (!embedded.ok) throw new Error('expected 200');
    const { data } = await embedded.json();
    expect(data[0]?.embedding).toHaveLength(16);

    const models = await ok(api.models.v1.models.$get());
    expect(models.data.map((model) => model.id)).toContain('text-hash-256');

    const id = `client-${crypto.randomUUID().slice(0, 8)}`;
    const task = await ok(api.tasks.v1.tasks.$post({ json: { id, labels: ['red', 'blue'] } }));
    expect(task).toMatchObject({ id, labels: ['red', 'blue'], version: 1 });
    const taught = await ok(api.teach(id, { examples }));
    expect(taught).toMatchObject({ added: 2, task: { id, version: 2 } });
    expect(taught.ids).toHaveLength(2);
    const classified = await ok(api.classify({ task: id, inputs: { text: 'red strawberry' } }));
    expect(classified).toMatchObject({ task: id, label: 'red' });
    const batch = await ok(api.classify({ task: id, items: [{ inputs: { text: 'blue sky' } }] }));
    expect(batch).toMatchObject([{ label: 'blue' }]);
    const evaluation = await ok(
      api.tasks.v1.tasks[':id'].evaluate.$post({ param: { id }, json: { examples } }),
    );
    expect(evaluation.strategies.map((row) => row.name)).toContain('weighted');
    expect(await ok(api.tasks.v1.tasks[':id'].$delete({ param: { id } }))).toBeUndefined();
  });

  it('sends If-Match with teach, and a stale version is a 412 ApiError', async () => {
    const api = await clientWith('client-key');
    const id = `client-${crypto.randomUUID().slice(0, 8)}`;
    await ok(api.tasks.v1.tasks.$post({ json: { id, labels: ['red', 'blue'] } }));
    const stale = ok(api.teach(id, { examples }, '"999"'));
    await expect(stale).rejects.toMatchObject({ name: 'ApiError', status: 412 });
    await expect(ok(api.teach(id, { examples }, '"1"'))).resolves.toMatchObject({ added: 2 });
  });

  it('turns problems and OpenAI-shaped errors into ApiErrors with their words', async () => {
    const api = await clientWith('client-key');
    const unknown = await ok(api.classify({ task: 'no-such-task', inputs: { text: 'x' } })).catch(
      (error: unknown) => error,
    );
    expect(unknown).toBeInstanceOf(ApiError);
    expect(unknown).toMatchObject({ status: 404, body: { code: 'unknown-task' }, retryable: false });
    expect((unknown as ApiError).message).toMatch(/^404 Not Found: .*no-such-task/);
    const badModel = ok(api.embeddings.v1.embeddings.$post({ json: { model: 'no-such-model', input: 'x' } }));
    await expect(badModel).rejects.toMatchObject({
      status: 404,
      message: expect.stringMatching(/^404 .*no-such-model/) as string,
      body: { error: { message: expect.any(String) as string } },
    });
  });

  it('sends no key when given none, and hands back the 401 as an answer', async () => {
    const api = await clientWith(undefined);
    const response = await api.models.v1.models.$get();
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    await expect(ok(api.models.v1.models.$get())).rejects.toMatchObject({ status: 401 });
  });

  it('reports an unreachable API as a retryable ApiError of status 0 naming the address', async () => {
    let calls = 0;
    const down = (() => {
      calls += 1;
      return Promise.reject(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }));
    }) as typeof fetch;
    const api = createModalFuseClient({ baseUrl: 'http://127.0.0.1:1/', fetch: down });
    const failed = withRetries(() => ok(api.health.healthz.$get()), { attempts: 3, baseDelayMs: 1 });
    await expect(failed).rejects.toMatchObject({
      status: 0,
      retryable: true,
      message: 'cannot reach http://127.0.0.1:1 (ECONNREFUSED); is the API running?',
    });
    expect(calls).toBe(3);
  });
});
