/**
 * @module
 * The typed client (`client/`) against the Worker and the real backend: typed requests and answers for
 * embeddings, models, tasks, examples and classify, the key sent as a Bearer token, and errors as answers.
 */
import { createExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createModalFuseClient } from '../../client/index.ts';
import worker from '../../src/index.ts';
import { sha256 } from '../../src/middleware/api-keys.ts';

const hex = async (key: string) =>
  Array.from(await sha256(key), (byte) => byte.toString(16).padStart(2, '0')).join('');

async function clientWith(apiKey: string | undefined) {
  const bindings = { ...env, API_KEY_HASHES: `client-test:${await hex('client-key')}` };
  const transport = (input: RequestInfo | URL, init?: RequestInit) =>
    Promise.resolve(worker.fetch(new Request(input, init), bindings, createExecutionContext()));
  return createModalFuseClient({ baseUrl: 'http://edge.test/', apiKey, fetch: transport as typeof fetch });
}

describe('the typed client', () => {
  it('embeds, lists models, teaches and classifies with typed answers', async () => {
    const api = await clientWith('client-key');
    const embedded = await api.embeddings.v1.embeddings.$post({
      json: { model: 'text-hash-256', input: ['a red apple'], dimensions: 16 },
    });
    expect(embedded.status).toBe(200);
    if (!embedded.ok) throw new Error('expected 200');
    const { data } = await embedded.json();
    expect(data[0]?.embedding).toHaveLength(16);

    const models = await api.models.v1.models.$get();
    if (!models.ok) throw new Error('expected 200');
    expect((await models.json()).data.map((model) => model.id)).toContain('text-hash-256');

    const id = `client-${crypto.randomUUID().slice(0, 8)}`;
    expect((await api.tasks.v1.tasks.$post({ json: { id, labels: ['red', 'blue'] } })).status).toBe(201);
    const examples = [
      { label: 'red', inputs: { text: 'a ripe red strawberry' } },
      { label: 'blue', inputs: { text: 'a clear blue sky' } },
    ];
    expect(await api.teach(id, { examples })).toMatchObject({ ok: true, status: 200, body: { added: 2 } });
    const classified = await api.classify({ task: id, inputs: { text: 'red strawberry' } });
    expect(classified).toMatchObject({ ok: true, body: { task: id, label: 'red' } });
    const unknown = await api.classify({ task: 'no-such-task', inputs: { text: 'x' } });
    expect(unknown).toMatchObject({
      ok: false,
      status: 404,
      problem: { code: expect.any(String) as string },
    });
  });

  it('sends no key when given none, and hands back the 401 as an answer', async () => {
    const api = await clientWith(undefined);
    const response = await api.models.v1.models.$get();
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });
});
